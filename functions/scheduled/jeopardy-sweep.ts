import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { VersionConflict } from '#adapters/aggregate-store';
import { dueJeopardyWatches, moveJeopardyWatch } from '#adapters/jeopardy-watch';
import { loadOrder, saveOrder } from '#adapters/order-repository';
import { nextJeopardyCheck, raiseJeopardy } from '#domain/order/jeopardy';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

const pageSize = 25;

/**
 * Scheduled: every order whose watch is due is assessed; a higher jeopardy level is raised on the
 * order (TMF622 jeopardyAlert with owner and next action, one event) and the watch moves to the
 * next moment that can raise one. A racing change (version conflict) leaves the watch due.
 */
const sweep = async (_event: Partial<ScheduledEvent> | undefined, context: Context) => {
  const now = new Date().toISOString();
  const seen = new Set<string>();
  const raised = { atRisk: 0, breached: 0 };
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await dueJeopardyWatches(now, pageSize, cursor);
    for (const orderId of page.orderIds) {
      if (seen.has(orderId)) continue;
      seen.add(orderId);
      const stored = await loadOrder(orderId);
      if (!stored) {
        await moveJeopardyWatch(orderId, undefined);
        continue;
      }
      const { order, events } = raiseJeopardy(stored.aggregate, { now, alertId: `jeo-${randomUUID()}` });
      if (events.length > 0) {
        try {
          await saveOrder(order, stored.version, events, { correlationId: context.awsRequestId, now });
          const level = order.jeopardyAlerts?.at(-1)?.jeopardyType ?? 'atRisk';
          raised[level]++;
        } catch (error) {
          if (error instanceof VersionConflict) continue;
          throw error;
        }
      }
      await moveJeopardyWatch(orderId, nextJeopardyCheck(order, now));
    }
    cursor = page.cursor;
  } while (cursor && context.getRemainingTimeInMillis() > 10_000);
  for (const [level, count] of Object.entries(raised)) if (count > 0) emit('JeopardyRaised', count, level);
  logger.info('jeopardy sweep', { assessed: seen.size, ...raised });
  return { assessed: seen.size, raised };
};

export const handler = withObservability(sweep);
