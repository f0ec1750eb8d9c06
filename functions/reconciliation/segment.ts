import type { Context } from 'aws-lambda';
import { processSegment } from '#commands/reconciliation-runs';
import { withObservability } from '#plumbing/observability-middleware';
import { withStepErrors } from '#plumbing/step-errors';

type Input = { runId: string; segmentId: string };

/** Checks the next pages of one segment from its checkpoint; the state machine loops until done. */
const segment = async (input: Input, context: Context) =>
  processSegment(input.runId, input.segmentId, { remainingMs: () => context.getRemainingTimeInMillis() });

export const handler = withObservability(withStepErrors(segment));
