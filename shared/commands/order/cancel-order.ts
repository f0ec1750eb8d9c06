import { randomUUID } from 'node:crypto';
import { cancelWithInstalledBase } from '#commands/inventory/complete-with-installed-base';
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
    decide: async (current) => {
      const cancelId = channelCancelId(current.id, randomUUID().replaceAll('-', ''));
      let cancel: CancelProductOrder | undefined;
      // Cancelled at once (nothing to compensate): the products the order held are released with it.
      const { change, extraItems } = await cancelWithInstalledBase(current, ctx, (order, c) => {
        const requested = requestCancellation(order, { ...request, cancelId }, c);
        cancel = requested.cancel;
        return requested;
      });
      return { ...change, result: cancel!, ...(extraItems ? { extraItems } : {}) };
    },
  });
  return { order, cancel: result };
};
