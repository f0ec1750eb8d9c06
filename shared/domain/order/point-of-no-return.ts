import type { CompensationTaskType, FulfillmentTask, TaskType } from '#domain/order/fulfillment-task';
import type { ProductOrder } from '#domain/order/product-order';

/**
 * The task that undoes each compensable task: provisioning is undone by a deactivation; a
 * billing handoff (absent here) cannot be taken back.
 */
export const compensationTypeOf: Partial<Record<TaskType, CompensationTaskType>> = {
  ACCESS_PROVISION: 'ACCESS_DECOMMISSION',
  SERVICE_ACTIVATION: 'SERVICE_DEACTIVATION',
  SDWAN_ACTIVATION: 'SDWAN_DEACTIVATION',
  SECURITY_ACTIVATION: 'SECURITY_DEACTIVATION',
  IP_BLOCK_ASSIGN: 'IP_BLOCK_RELEASE',
};

export const isCompensable = (task: FulfillmentTask): boolean => compensationTypeOf[task.type] !== undefined;

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
