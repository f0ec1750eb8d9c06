import type { Context, ScheduledEvent } from 'aws-lambda';
import {
  advanceSweep,
  currentBucket,
  dueWatches,
  moveWatch,
  sweepBuckets,
  type Watch,
} from '#adapters/jeopardy-watch';
import { assessJeopardy } from '#commands/order/raise-jeopardy';
import type { Actor } from '#domain/actor';
import type { JeopardyType } from '#domain/order/jeopardy';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

const pageSize = 25;
const sweeper: Actor = { principalId: 'system:jeopardy-sweep', role: 'ops', channelId: 'system' };

/**
 * Scheduled: every order whose watch is due is assessed; a higher jeopardy level is raised on the
 * order (TMF622 jeopardyAlert with owner and next action, one event) and the watch moves to the
 * next moment that can raise one. A change racing past the attempt budget leaves the watch due, and
 * the checkpoint stays before its bucket, so the next run looks again.
 */
const sweep = async (_event: Partial<ScheduledEvent> | undefined, context: Context) => {
  const now = new Date().toISOString();
  const raised: Record<JeopardyType, number> = { atRisk: 0, breached: 0 };
  let assessed = 0;

  /** true when the watch was handled (moved or removed). */
  const assess = async (watch: Watch): Promise<boolean> => {
    assessed++;
    const ctx = { now, actor: sweeper, correlationId: context.awsRequestId };
    const assessment = await assessJeopardy(watch.orderId, ctx);
    if (assessment.outcome === 'contended') return false;
    if (assessment.outcome === 'assessed' && assessment.raised) raised[assessment.raised]++;
    await moveWatch(watch, assessment.outcome === 'assessed' ? assessment.nextCheck : undefined);
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
