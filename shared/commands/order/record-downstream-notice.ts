import { recordRefusedNotice } from '#adapters/refused-notice-store';
import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { billingAcknowledgement } from '#domain/order/billing-acknowledgement';
import { applyDownstreamNotice, type DownstreamNotice } from '#domain/order/downstream-notice';
import type { FulfillmentTask } from '#domain/order/fulfillment-task';
import { isNoticeRefusal, refusedNotice } from '#domain/order/refused-notice';
import { emitBillingAcknowledgement } from '#plumbing/billing-metrics';
import { emit } from '#plumbing/metrics';
import { changeOrder } from '../order-command.ts';

export type NoticeResult = { result: 'APPLIED' | 'DUPLICATE'; task: Pick<FulfillmentTask, 'id' | 'state'> };

/** The downstream a principal speaks for: its channel is `downstream-<system>`. */
const systemOf = (ctx: CommandContext) => ctx.actor.channelId.replace(/^downstream-/, '');

/**
 * A downstream's notice about one task, applied on the order (idempotent); a refusal is a
 * DomainError with its code, recorded first (once per notice: counted, logged for ops, a metric).
 * A downstream speaks only for its own tasks.
 */
export const recordDownstreamNotice = async (
  orderId: string,
  taskId: string,
  notice: DownstreamNotice,
  ctx: CommandContext,
): Promise<NoticeResult> => {
  try {
    return await applyNotice(orderId, taskId, notice, ctx);
  } catch (error) {
    if (error instanceof DomainError && isNoticeRefusal(error.code)) {
      const downstream = systemOf(ctx);
      const record = refusedNotice({
        downstream,
        orderId,
        taskId,
        notice,
        code: error.code,
        message: error.message,
        at: ctx.now,
      });
      if (await recordRefusedNotice(record)) emit('RefusedDownstreamNotices', 1, downstream);
    }
    throw error;
  }
};

const applyNotice = async (
  orderId: string,
  taskId: string,
  notice: DownstreamNotice,
  ctx: CommandContext,
): Promise<NoticeResult> => {
  let billingAck: { latencyMs: number } | undefined;
  const { result } = await changeOrder<NoticeResult>({
    orderId,
    ctx,
    asSystem: true,
    decide: (order) => {
      const task = order.tasks.find((t) => t.id === taskId);
      if (task && task.downstream !== systemOf(ctx)) {
        throw new DomainError('FORBIDDEN', `Task ${taskId} belongs to ${task.downstream}`, { taskId }, 403);
      }
      const outcome = applyDownstreamNotice(order, taskId, notice, ctx);
      if (outcome.kind === 'REFUSED') {
        throw new DomainError(outcome.code, outcome.message, {
          orderId,
          taskId,
          correlationId: notice.correlationId,
        });
      }
      const after = outcome.kind === 'APPLIED' ? outcome.change : { order, events: [] };
      billingAck = billingAcknowledgement(order, after.order, ctx.now);
      const state = after.order.tasks.find((t) => t.id === taskId)?.state ?? 'PENDING';
      return { ...after, result: { result: outcome.kind, task: { id: taskId, state } } };
    },
  }).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'NOT_FOUND') {
      throw new DomainError('UNKNOWN_TASK', `No order ${orderId}`, {
        orderId,
        taskId,
        correlationId: notice.correlationId,
      });
    }
    throw error;
  });
  if (billingAck && result.result === 'APPLIED') emitBillingAcknowledgement(billingAck.latencyMs);
  return result;
};
