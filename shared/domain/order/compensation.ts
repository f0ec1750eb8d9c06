import { taskCorrelationId } from '#domain/order/correlation';
import { type FulfillmentTask, newExecution } from '#domain/order/fulfillment-task';
import { compensationTypeOf, isCompensable, mayHaveSideEffect } from '#domain/order/point-of-no-return';
import type { ProductOrder } from '#domain/order/product-order';

export const compensationTaskId = (taskId: string) => `${taskId}-COMPENSATION`;

/**
 * One compensation per forward task in scope (every task, or those a revision withdraws) that
 * may have a side effect and has none yet, in reverse dependency order: what depended on a task
 * is undone before the task itself. A compensation also depends on its forward task, so an
 * unresolved outcome is resolved (queried) before anything is undone.
 */
export const planCompensation = (
  order: ProductOrder,
  inScope: (task: FulfillmentTask) => boolean = () => true,
): FulfillmentTask[] => {
  const compensated = new Set(order.tasks.flatMap((t) => (t.compensationOf ? [t.compensationOf] : [])));
  const toUndo = order.tasks.filter(
    (t) =>
      t.compensationOf === undefined &&
      !compensated.has(t.id) &&
      isCompensable(t) &&
      mayHaveSideEffect(t) &&
      inScope(t),
  );
  const undoIds = new Set(toUndo.map((t) => t.id));
  return toUndo.map((forward) => {
    const id = compensationTaskId(forward.id);
    const dependents = toUndo.filter((t) => t.dependsOn.includes(forward.id) && undoIds.has(t.id));
    return {
      id,
      orderItemId: forward.orderItemId,
      action: 'delete',
      type: compensationTypeOf[forward.type]!,
      ruleVersion: forward.ruleVersion,
      downstream: forward.downstream,
      dependsOn: [forward.id, ...dependents.map((t) => compensationTaskId(t.id))],
      correlationId: taskCorrelationId(order.id, id),
      ownerTeam: forward.ownerTeam,
      payload: { ...forward.payload, compensates: forward.correlationId },
      compensationOf: forward.id,
      ...newExecution(),
    };
  });
};
