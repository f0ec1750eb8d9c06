import { randomUUID } from 'node:crypto';
import type { CommandContext } from '#domain/actor';
import { channelCancelId } from '#domain/order/cancel-id';
import { type CancellationRequest, requestCancellation } from '#domain/order/cancellation';
import type { CancelProductOrder, ProductOrder } from '#domain/order/product-order';
import { changeOrder } from '../order-command.ts';

/**
 * TMF622 cancelProductOrder on an order the caller may see. The cancellation event (outbox)
 * restarts the fulfillment workflow, which runs compensation.
 */
export const cancelOrder = async (
  orderId: string,
  request: Omit<CancellationRequest, 'cancelId'>,
  ctx: CommandContext,
): Promise<{ order: ProductOrder; cancel: CancelProductOrder }> => {
  const { order, result } = await changeOrder({
    orderId,
    ctx,
    decide: (current) => {
      const cancelId = channelCancelId(current.id, randomUUID().replaceAll('-', ''));
      const { order, events, cancel } = requestCancellation(current, { ...request, cancelId }, ctx);
      return { order, events, result: cancel };
    },
  });
  return { order, cancel: result };
};
