import type { CommandContext } from '#domain/actor';
import { recordTaskDispatched } from '#domain/order/fulfillment';
import { findTask } from '#domain/order/order-changes';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';
import { dispatchBudgetLeft } from '#domain/order/retry-budget';

/** Whether a task may be sent downstream now; the dispatch is recorded BEFORE the call. */
export type DispatchClaim =
  | { send: true; change: OrderCommandResult }
  /** Another run or a repair got there first: stand aside, the next step re-decides. */
  | { send: false; reason: string }
  /** The task has spent its dispatch budget: it falls out as RETRY_BUDGET_EXHAUSTED. */
  | { budgetExhausted: true };

/** Only a PENDING task of an order being fulfilled or cancelled is sent, within its budget. */
export const claimDispatch = (order: ProductOrder, taskId: string, ctx: CommandContext): DispatchClaim => {
  const task = findTask(order, taskId);
  const ownFallout = order.state === 'held' && order.fallout?.taskId === task.id;
  if (ownFallout && order.fallout?.reasonCode === 'RETRY_BUDGET_EXHAUSTED') return { budgetExhausted: true };
  if (order.state !== 'inProgress' && order.state !== 'pendingCancellation') {
    return { send: false, reason: `order ${order.state}` };
  }
  if (task.state !== 'PENDING') return { send: false, reason: `task ${task.state}` };
  if (!dispatchBudgetLeft(task)) return { budgetExhausted: true };
  return { send: true, change: recordTaskDispatched(order, task.id, ctx) };
};
