import { type FulfillmentTask, ORDER_LEVEL_ITEM } from '#domain/order/fulfillment-task';
import type { ProductOrder } from '#domain/order/product-order';

/** The item ids the order still holds: a revision removes items from the order, not their tasks. */
const liveItemIds = (order: ProductOrder): ReadonlySet<string> => new Set(order.items.map((i) => i.id));

const withdrawnIn = (live: ReadonlySet<string>, task: FulfillmentTask): boolean =>
  task.compensationOf === undefined && task.orderItemId !== ORDER_LEVEL_ITEM && !live.has(task.orderItemId);

/** Forward work of an item a revision removed: it is never sent again, only resolved and undone. */
export const isWithdrawnTask = (order: ProductOrder, task: FulfillmentTask): boolean =>
  withdrawnIn(liveItemIds(order), task);

/**
 * Every forward task of the order's items (and the billing handoff) is done, and what a revision
 * withdrew is done or dropped and undone: the order can complete.
 */
export const isFulfilled = (order: ProductOrder): boolean => {
  const live = liveItemIds(order);
  const forward = order.tasks.filter((t) => t.compensationOf === undefined);
  return (
    forward.length > 0 &&
    order.tasks.every(
      (t) =>
        t.state === 'DONE' ||
        (t.state === 'CANCELLED' && (t.compensationOf !== undefined || withdrawnIn(live, t))),
    )
  );
};
