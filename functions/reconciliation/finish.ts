import type { Context } from 'aws-lambda';
import { finishRun } from '#commands/reconciliation-runs';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';
import { withStepErrors } from '#plumbing/step-errors';

type Input = { runId: string; correlationId: string; error?: { Error?: string; Cause?: string } };

/** Last state: summary and findings from the segments, or the failure the workflow caught. */
const finish = async (input: Input, _context: Context) => {
  const run = await finishRun(input.runId, input.correlationId, input.error);
  logger.info('reconciliation run finished', {
    runId: run.id,
    status: run.status,
    driftCount: run.driftCount,
  });
  return { runId: run.id, status: run.status, driftCount: run.driftCount };
};

export const handler = withObservability(withStepErrors(finish));
