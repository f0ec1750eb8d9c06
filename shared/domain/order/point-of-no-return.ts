import type { FulfillmentTask, TaskType } from '#domain/order/fulfillment-task';
import type { ProductOrder } from '#domain/order/product-order';

/** Provisioning can be undone by a deactivation; a billing handoff cannot be taken back. */
export const COMPENSABLE_TASK_TYPES: ReadonlySet<TaskType> = new Set<TaskType>([
  'ACCESS_PROVISION',
  'SERVICE_ACTIVATION',
  'SDWAN_ACTIVATION',
  'SECURITY_ACTIVATION',
  'IP_BLOCK_ASSIGN',
]);

export const isCompensable = (task: FulfillmentTask): boolean => COMPENSABLE_TASK_TYPES.has(task.type);

/** A dispatch happened, so the downstream may hold a side effect. */
export const mayHaveSideEffect = (task: FulfillmentTask): boolean =>
  task.state === 'DONE' || task.state === 'IN_PROGRESS' || task.state === 'UNKNOWN';

/**
 * Past this point an order can no longer be cancelled: billing was started (dispatched at least
 * once, whatever the outcome) or an activation completed that cannot be compensated.
 */
export const isPastPointOfNoReturn = (order: ProductOrder): boolean =>
  order.tasks.some(
    (t) =>
      t.compensationOf === undefined &&
      ((t.type === 'BILLING_HANDOFF' && (t.attempts > 0 || mayHaveSideEffect(t))) ||
        (t.state === 'DONE' && !isCompensable(t))),
  );
