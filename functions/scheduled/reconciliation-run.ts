import type { Context, ScheduledEvent } from 'aws-lambda';
import { startRun } from '#commands/reconciliation-workflow';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * The scheduled full run: starts the same reconciliation state machine as the API. The run id
 * derives from the schedule's event id, so a redelivered invocation starts nothing twice.
 */
const run = async (event: Partial<ScheduledEvent> | undefined, context: Context) => {
  const runId = `sched-${event?.id ?? context.awsRequestId}`;
  const { run: started, created } = await startRun({
    runId,
    scope: {},
    trigger: 'schedule',
    actor: 'system:reconciliation-schedule',
    correlationId: context.awsRequestId,
  });
  logger.info('reconciliation run started', { runId, created, status: started.status });
  return { runId, status: started.status };
};

export const handler = withObservability(run);
