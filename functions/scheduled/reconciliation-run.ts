import type { Context, ScheduledEvent } from 'aws-lambda';
import { runReconciliation } from '#adapters/reconciliation-runner';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * The scheduled full run. The run id derives from the schedule's event id, so a redelivered
 * invocation finds the run already recorded and does nothing twice.
 */
const run = async (event: Partial<ScheduledEvent> | undefined, context: Context) => {
  const runId = `sched-${event?.id ?? context.awsRequestId}`;
  const { run: result, created } = await runReconciliation({
    runId,
    scope: {},
    trigger: 'schedule',
    actor: 'system:reconciliation-schedule',
    correlationId: context.awsRequestId,
  });
  logger.info('reconciliation run', { runId, created, status: result.status, driftCount: result.driftCount });
  return { runId, status: result.status, driftCount: result.driftCount };
};

export const handler = withObservability(run);
