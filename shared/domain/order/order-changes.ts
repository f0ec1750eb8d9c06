import { DomainError } from '#domain/errors';
import type { FulfillmentTask, TaskExecution } from '#domain/order/fulfillment-task';
import type { Fallout, ProductOrder, ProductOrderState } from '#domain/order/product-order';

/** Shared building blocks of the order commands; each returns a new order. */

export const findTask = (order: ProductOrder, taskId: string): FulfillmentTask => {
  const task = order.tasks.find((t) => t.id === taskId);
  if (!task) throw new DomainError('NOT_FOUND', 'Fulfillment task not found', { orderId: order.id, taskId });
  return task;
};

/** Only execution fields change; the planned blueprint of a task is never edited. */
export const withTask = (
  order: ProductOrder,
  taskId: string,
  change: Partial<TaskExecution>,
  now: string,
): ProductOrder => ({
  ...order,
  updatedAt: now,
  tasks: order.tasks.map((t) => (t.id === taskId ? { ...t, ...change } : t)),
});

export const assertOrderState = (
  order: ProductOrder,
  allowed: readonly ProductOrderState[],
  operation: string,
): void => {
  if (!allowed.includes(order.state)) {
    throw new DomainError(
      'INVALID_STATE_TRANSITION',
      `Cannot ${operation} an order in state ${order.state}`,
      {
        orderId: order.id,
        state: order.state,
        allowed,
      },
    );
  }
};

export const invalidTaskState = (task: FulfillmentTask, operation: string): DomainError =>
  new DomainError('INVALID_STATE_TRANSITION', `Cannot ${operation} a task in state ${task.state}`, {
    taskId: task.id,
    state: task.state,
  });

export const hold = (
  order: ProductOrder,
  fallout: Omit<Fallout, 'heldFrom' | 'since'>,
  now: string,
): ProductOrder => {
  if (order.state === 'held') return order;
  const heldFrom =
    order.state === 'acknowledged' || order.state === 'pendingCancellation' ? order.state : 'inProgress';
  return { ...order, state: 'held', updatedAt: now, fallout: { ...fallout, heldFrom, since: now } };
};

/** Ends a fallout, keeping the original failure in the history. */
export const release = (order: ProductOrder, resolution: string, now: string): ProductOrder => {
  if (order.state !== 'held' || !order.fallout) return order;
  const { fallout, ...rest } = order;
  return {
    ...rest,
    state: fallout.heldFrom,
    updatedAt: now,
    falloutHistory: [...order.falloutHistory, { ...fallout, resolvedAt: now, resolution }],
  };
};
