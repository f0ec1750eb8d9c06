import { randomUUID } from 'node:crypto';
import { startRun } from '#commands/reconciliation-workflow';
import { commandHandler } from '#plumbing/http/command-handler';
import { reconciliationRunBody } from '#plumbing/http/ops-schemas';

/**
 * `POST /ops/reconciliation-runs`: idempotent by Idempotency-Key (a replay returns the same
 * runId). Answers 202 at once: the run is its own Step Functions execution, and its progress
 * and findings are read with `GET /ops/reconciliation-runs/{runId}`.
 */
export const handler = commandHandler({
  operation: 'reconciliation-start',
  roles: ['ops'],
  body: reconciliationRunBody(),
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
