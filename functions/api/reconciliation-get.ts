import { runWithProgress } from '#commands/reconciliation-runs';
import { DomainError } from '#domain/errors';
import { apiHandler } from '#plumbing/http/api-handler';

/** `GET /ops/reconciliation-runs/{runId}`: scope, status, progress, per-check summary and findings. */
export const handler = apiHandler({
  operation: 'reconciliation-get',
  // Finance reads reconciliation findings (the mismatch reports), never the audit evidence.
  roles: ['ops', 'finance'],
  handle: async (req) => {
    const runId = req.params.runId ?? '';
    const run = await runWithProgress(runId);
    if (!run) throw new DomainError('NOT_FOUND', `Reconciliation run ${runId} not found`);
    const { version: _version, ...body } = run as typeof run & { version?: number };
    return { status: 200, body };
  },
});
