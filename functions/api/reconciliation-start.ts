import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { startRun } from '#commands/reconciliation-workflow';
import { checkNames } from '#domain/reconciliation/findings';
import { commandHandler } from '#plumbing/http/command-handler';
import { list, text } from '#plumbing/http/schema-helpers';

const body = z.strictObject({
  checks: z.optional(list(z.enum(checkNames as [string, ...string[]]), 0, checkNames.length)),
  quoteIds: z.optional(list(text(1, 200), 0, 100)),
  orderIds: z.optional(list(text(1, 200), 0, 100)),
  productIds: z.optional(list(text(1, 200), 0, 100)),
});

/**
 * `POST /ops/reconciliation-runs`: idempotent by Idempotency-Key (a replay returns the same
 * runId). Answers 202 at once: the run is its own Step Functions execution, and its progress
 * and findings are read with `GET /ops/reconciliation-runs/{runId}`.
 */
export const handler = commandHandler({
  operation: 'reconciliation-start',
  roles: ['ops'],
  body,
  handle: async (req) => {
    const runId = `recon-${randomUUID()}`;
    const { run } = await startRun({
      runId,
      scope: {
        checks: req.body.checks as never,
        quoteIds: req.body.quoteIds,
        orderIds: req.body.orderIds,
        productIds: req.body.productIds,
      },
      trigger: 'api',
      actor: `${req.principal.role}:${req.principal.principalId}`,
      correlationId: req.correlationId,
    });
    return {
      status: 202,
      body: { runId: run.id, status: run.status },
      headers: { Location: `/ops/reconciliation-runs/${run.id}` },
    };
  },
});
