import type { Context } from 'aws-lambda';
import { planRun } from '#commands/reconciliation-runs';
import { withObservability } from '#plumbing/observability-middleware';
import { withStepErrors } from '#plumbing/step-errors';

type Input = { runId: string; correlationId: string };

/** First state of a reconciliation run: its segments (created once, kept on a restart). */
const plan = async (input: Input, _context: Context) => ({
  segments: await planRun(input.runId, input.correlationId),
});

export const handler = withObservability(withStepErrors(plan));
