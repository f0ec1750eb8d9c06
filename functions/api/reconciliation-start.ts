import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { runReconciliation } from '#adapters/reconciliation-runner';
import { checkNames } from '#domain/reconciliation/findings';
import { apiHandler } from '#plumbing/http/api-handler';

const body = z
  .object({
    checks: z
      .array(z.enum(checkNames as [string, ...string[]]))
      .max(checkNames.length)
      .optional(),
    quoteIds: z.array(z.string().min(1).max(200)).max(100).optional(),
    orderIds: z.array(z.string().min(1).max(200)).max(100).optional(),
  })
  .strict();

/**
 * `POST /ops/reconciliation-runs`: idempotent by Idempotency-Key (a replay returns the same
 * runId). The run executes synchronously within the request (bounded by the function timeout);
 * the answer is 202 because findings are read with `GET /ops/reconciliation-runs/{runId}`.
 */
export const handler = apiHandler({
  operation: 'reconciliation-start',
  roles: ['ops'],
  idempotent: true,
  body,
  handle: async (req) => {
    const runId = `recon-${randomUUID()}`;
    const { run } = await runReconciliation({
      runId,
      scope: {
        checks: req.body.checks as never,
        quoteIds: req.body.quoteIds,
        orderIds: req.body.orderIds,
      },
      trigger: 'api',
      actor: `${req.principal.role}:${req.principal.principalId}`,
      correlationId: req.correlationId,
    });
    return {
      status: 202,
      body: { runId: run.id, status: run.status, driftCount: run.driftCount },
      headers: { Location: `/ops/reconciliation-runs/${run.id}` },
    };
  },
});
