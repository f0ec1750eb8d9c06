import { randomUUID } from 'node:crypto';
import { VersionConflict } from '#adapters/aggregate-store';
import type { CommandContext } from '#domain/actor';
import { isDomainError } from '#domain/errors';
import { type JeopardyType, nextJeopardyCheck, raiseJeopardy } from '#domain/order/jeopardy';
import { changeOrder } from '../order-command.ts';

export type JeopardyAssessment =
  /** The order is gone: nothing to watch. */
  | { outcome: 'absent' }
  /** Writers kept racing past the attempt budget: the watch stays due for the next run. */
  | { outcome: 'contended' }
  | { outcome: 'assessed'; raised?: JeopardyType; nextCheck: string | undefined };

/** The sweep's command on one watched order: a higher jeopardy level is raised on the order. */
export const assessJeopardy = async (orderId: string, ctx: CommandContext): Promise<JeopardyAssessment> => {
  try {
    const { order, result } = await changeOrder({
      orderId,
      ctx,
      asSystem: true,
      decide: (current) => {
        const { order, events } = raiseJeopardy(current, { now: ctx.now, alertId: `jeo-${randomUUID()}` });
        const raised =
          events.length > 0 ? (order.jeopardyAlerts?.at(-1)?.jeopardyType ?? 'atRisk') : undefined;
        return { order, events, result: raised };
      },
    });
    return {
      outcome: 'assessed',
      ...(result ? { raised: result } : {}),
      nextCheck: nextJeopardyCheck(order, ctx.now),
    };
  } catch (error) {
    if (error instanceof VersionConflict) return { outcome: 'contended' };
    if (isDomainError(error) && error.code === 'NOT_FOUND') return { outcome: 'absent' };
    throw error;
  }
};
