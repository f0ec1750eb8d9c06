import type { CommandContext } from '#domain/actor';
import { recordFallout } from '#domain/order/fulfillment';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';

/**
 * The fulfillment workflow itself gave up (its child runs kept failing): the order is held for
 * repair on its first open task, a task in doubt first, instead of staying in progress with
 * nothing driving it. An order already finished or held is left as it is.
 */
export const holdAfterWorkflowFailure = (order: ProductOrder, ctx: CommandContext): OrderCommandResult => {
  if (order.state !== 'inProgress' && order.state !== 'pendingCancellation') return { order, events: [] };
  const open =
    order.tasks.find((t) => t.state === 'UNKNOWN') ??
    order.tasks.find((t) => t.state !== 'DONE' && t.state !== 'CANCELLED');
  if (!open) return { order, events: [] };
  const reasonCode = open.state === 'UNKNOWN' ? 'UNKNOWN_OUTCOME_UNRESOLVED' : 'RETRY_BUDGET_EXHAUSTED';
  return recordFallout(order, open.id, { reasonCode }, ctx);
};
