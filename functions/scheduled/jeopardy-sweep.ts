import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { VersionConflict } from '#adapters/aggregate-store';
import {
  advanceSweep,
  currentBucket,
  dueWatches,
  moveWatch,
  sweepBuckets,
  type Watch,
} from '#adapters/jeopardy-watch';
import { loadOrder, saveOrder } from '#adapters/order-repository';
import { type JeopardyType, nextJeopardyCheck, raiseJeopardy } from '#domain/order/jeopardy';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

const pageSize = 25;

/**
 * Scheduled: every order whose watch is due is assessed; a higher jeopardy level is raised on the
 * order (TMF622 jeopardyAlert with owner and next action, one event) and the watch moves to the
 * next moment that can raise one. A racing change (version conflict) leaves the watch due, and
 * the checkpoint stays before its bucket, so the next run looks again.
 */
const sweep = async (_event: Partial<ScheduledEvent> | undefined, context: Context) => {
  const now = new Date().toISOString();
  const raised: Record<JeopardyType, number> = { atRisk: 0, breached: 0 };
  let assessed = 0;

  /** true when the watch was handled (moved or removed). */
  const assess = async (watch: Watch): Promise<boolean> => {
    assessed++;
    const stored = await loadOrder(watch.orderId);
    if (!stored) {
      await moveWatch(watch, undefined);
      return true;
    }
    const { order, events } = raiseJeopardy(stored.aggregate, { now, alertId: `jeo-${randomUUID()}` });
    if (events.length > 0) {
      try {
        await saveOrder(order, stored.version, events, { correlationId: context.awsRequestId, now });
      } catch (error) {
        if (error instanceof VersionConflict) return false;
        throw error;
      }
      raised[order.jeopardyAlerts?.at(-1)?.jeopardyType ?? 'atRisk']++;
    }
    await moveWatch(watch, nextJeopardyCheck(order, now));
    return true;
  };

  const timeLeft = () => context.getRemainingTimeInMillis() > 10_000;
  for (const bucket of await sweepBuckets(now)) {
    let cursor: Record<string, unknown> | undefined;
    let drained = true;
    do {
      const page = await dueWatches(bucket, now, pageSize, cursor);
      for (const watch of page.watches) if (!(await assess(watch))) drained = false;
      cursor = page.cursor;
    } while (cursor && timeLeft());
    if (!timeLeft() || !drained) break;
    // A past hour is done for good; the current one fills up until the hour ends.
    if (bucket < currentBucket(now)) await advanceSweep(bucket + 1);
  }
  for (const [level, count] of Object.entries(raised)) if (count > 0) emit('JeopardyRaised', count, level);
  logger.info('jeopardy sweep', { assessed, ...raised });
  return { assessed, raised };
};

export const handler = withObservability(sweep);
