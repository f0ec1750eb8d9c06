import { confirmWithDownstream } from '#adapters/downstream-client';
import type { CommandContext } from '#domain/actor';
import { repairRequested } from '#domain/order/order-events';
import type { ProductOrder, RepairAuditRecord } from '#domain/order/product-order';
import { needsDownstreamConfirmation, type RepairRequest, repairTask } from '#domain/order/repair';
import { changeOrder } from '../order-command.ts';

/**
 * An operator's repair of one task, with the downstream's word where the repair claims an effect
 * there; the repair event resumes the workflow.
 */
export const repairOrderTask = async (
  orderId: string,
  taskId: string,
  request: RepairRequest,
  ctx: CommandContext,
): Promise<{ order: ProductOrder; repair: RepairAuditRecord }> => {
  const { order, result } = await changeOrder({
    orderId,
    ctx,
    decide: async (current) => {
      const task = current.tasks.find((t) => t.id === taskId);
      const confirmation =
        task && needsDownstreamConfirmation(request) && request.evidence?.downstreamRef
          ? await confirmWithDownstream(task.downstream, task.correlationId)
          : undefined;
      const { order, events } = repairTask(current, taskId, request, ctx, confirmation);
      const repair = order.repairs.at(-1)!;
      return { order, events: [...events, repairRequested(order, repair)], result: repair };
    },
  });
  return { order, repair: result };
};
