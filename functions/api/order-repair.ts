import { repairOrderTask } from '#commands/order/repair-order';
import { audienceOf } from '#domain/access/visibility';
import { toProductOrderResource } from '#domain/order/product-order-resource';
import { commandHandler } from '#plumbing/http/command-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { repairBody } from '#plumbing/http/order-schemas';
import { logger } from '#plumbing/observability';

export const handler = commandHandler({
  operation: 'order-repair',
  roles: ['ops'],
  body: repairBody(),
  handle: async (req) => {
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const { order, repair } = await repairOrderTask(
      req.params.orderId ?? '',
      req.params.taskId ?? '',
      req.body,
      ctx,
    );
    logger.info('repair recorded', {
      orderId: order.id,
      taskId: repair.taskId,
      action: repair.action,
      reasonCode: repair.reasonCode,
    });
    return {
      status: 201,
      body: {
        repair,
        productOrder: toProductOrderResource(order, baseUrlOf(req.headers), audienceOf(req.principal)),
      },
    };
  },
});
