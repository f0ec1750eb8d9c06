import { confirmWithDownstream } from '#adapters/downstream-client';
import { loadOrderFor, saveOrder } from '#adapters/order-repository';
import type { DomainEvent } from '#domain/events';
import type { RepairAuditRecord } from '#domain/order/product-order';
import { toProductOrderResource } from '#domain/order/product-order-resource';
import { needsDownstreamConfirmation, repairTask } from '#domain/order/repair';
import { commandHandler } from '#plumbing/http/command-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { repairBody } from '#plumbing/http/order-schemas';
import { logger } from '#plumbing/observability';

/** The event the `fulfillment-triggers` rule listens to: a repair resumes the workflow. */
const restartEvent = (orderId: string, record: RepairAuditRecord): DomainEvent => ({
  eventType: 'ProductOrderRepairEvent',
  domain: 'productOrder',
  resource: {
    id: orderId,
    orderId,
    repairId: record.id,
    taskId: record.taskId,
    action: record.action,
    reasonCode: record.reasonCode,
  },
});

export const handler = commandHandler({
  operation: 'order-repair',
  roles: ['ops'],
  body: repairBody(),
  handle: async (req) => {
    const stored = await loadOrderFor(req.principal, req.params.orderId ?? '');
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const taskId = req.params.taskId ?? '';
    const task = stored.aggregate.tasks.find((t) => t.id === taskId);
    const confirmation =
      task && needsDownstreamConfirmation(req.body) && req.body.evidence?.downstreamRef
        ? await confirmWithDownstream(task.downstream, task.correlationId)
        : undefined;
    const { order, events } = repairTask(stored.aggregate, taskId, req.body, ctx, confirmation);
    const record = order.repairs.at(-1)!;
    const version = await saveOrder(order, stored.version, [...events, restartEvent(order.id, record)], ctx);
    logger.info('repair recorded', {
      orderId: order.id,
      taskId: record.taskId,
      action: record.action,
      reasonCode: record.reasonCode,
    });
    return {
      status: 201,
      body: {
        repair: record,
        productOrder: toProductOrderResource({ ...order, version }, baseUrlOf(req.headers)),
      },
    };
  },
});
