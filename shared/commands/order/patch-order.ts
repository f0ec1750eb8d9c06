import type { CommandContext } from '#domain/actor';
import { assertPatchable, modifyOrder, type OrderModification } from '#domain/order/modify-order';
import type { ProductOrder } from '#domain/order/product-order';
import { changeOrder } from '../order-command.ts';

/**
 * TMF622 patchProductOrder: channel attributes before the point of no return. Fulfillment never
 * touches them, so without If-Match a racing workflow step only means deciding again (the point
 * of no return is checked on the current order each time).
 */
export const patchOrder = async (
  orderId: string,
  change: OrderModification,
  ctx: CommandContext,
  ifMatch: string | undefined,
): Promise<ProductOrder> => {
  assertPatchable(Object.keys(change));
  const { order } = await changeOrder({
    orderId,
    ctx,
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    decide: (current) => ({ ...modifyOrder(current, change, ctx), result: undefined }),
  });
  return order;
};
