import type { FulfillmentTask } from '#domain/order/fulfillment-task';
import { isCompensable } from '#domain/order/point-of-no-return';
import type { ProductOrder } from '#domain/order/product-order';

/** A dispatch was claimed at least once: the downstream may have acted on it. */
export const hasStarted = (task: FulfillmentTask): boolean =>
  task.attempts > 0 || (task.state !== 'PENDING' && task.state !== 'CANCELLED');

const forwardTasksOf = (order: ProductOrder, itemId: string): FulfillmentTask[] =>
  order.tasks.filter((t) => t.orderItemId === itemId && t.compensationOf === undefined);

/**
 * The tasks that commit an item downstream: its last forward tasks, those no other task of the
 * same item waits for (a fiber's service activation, not its access provisioning; a change
 * order's one change task). Earlier tasks are preparation that a compensation can undo.
 */
export const pointOfNoReturnTasks = (order: ProductOrder, itemId: string): FulfillmentTask[] => {
  const own = forwardTasksOf(order, itemId);
  const awaited = new Set(own.flatMap((t) => t.dependsOn));
  return own.filter((t) => !awaited.has(t.id));
};

/** The billing handoff covers every item: once it started, no item can change any more. */
export const billingStarted = (order: ProductOrder): boolean =>
  order.tasks.some((t) => t.type === 'BILLING_HANDOFF' && t.compensationOf === undefined && hasStarted(t));

/**
 * An item is past its point of no return once billing started, its point-of-no-return task
 * started (or finished), or a task of it that cannot be undone finished. Before that, whatever
 * it did downstream can be compensated.
 */
export const isItemPastPointOfNoReturn = (order: ProductOrder, itemId: string): boolean =>
  billingStarted(order) ||
  pointOfNoReturnTasks(order, itemId).some(hasStarted) ||
  forwardTasksOf(order, itemId).some((t) => t.state === 'DONE' && !isCompensable(t));

/** The items of the order that can no longer be removed or changed, in item order. */
export const itemsPastPointOfNoReturn = (order: ProductOrder): string[] =>
  order.items.filter((i) => isItemPastPointOfNoReturn(order, i.id)).map((i) => i.id);
