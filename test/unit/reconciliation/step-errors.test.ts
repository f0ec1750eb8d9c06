import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { VersionConflict } from '#adapters/aggregate-store';

vi.mock('#commands/reconciliation-runs', () => ({
  planRun: () => Promise.reject(new VersionConflict('RECON', 'run-1')),
  finishRun: () => Promise.reject(new VersionConflict('RECON', 'run-1')),
  processSegment: () => Promise.reject(new VersionConflict('RECON', 'run-1')),
}));

const context = { functionName: 'test', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

describe('reconciliation steps', () => {
  it.each(['plan', 'segment', 'finish'])(
    'a version conflict in %s reaches Step Functions named VersionConflict, the name its Retry matches',
    async (step) => {
      const { handler } = (await import(`#functions/reconciliation/${step}`)) as {
        handler: (event: unknown, context: Context) => Promise<unknown>;
      };
      const error = await handler({ runId: 'run-1', segmentId: 's-1', correlationId: 'c-1' }, context).catch(
        (e: Error) => e,
      );
      expect((error as Error).name).toBe('VersionConflict');
      expect((error as Error).message).toContain('run-1');
    },
  );
});
