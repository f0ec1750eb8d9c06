import { cancelOrder } from '#commands/order/cancel-order';
import { audienceOf } from '#domain/access/visibility';
import { ORDERING_PATH, toCancelProductOrderResource } from '#domain/order/product-order-resource';
import { commandHandler } from '#plumbing/http/command-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { cancelProductOrderBody } from '#plumbing/http/order-schemas';
import { logger } from '#plumbing/observability';

export const handler = commandHandler({
  operation: 'order-cancel',
  roles: ['partner', 'sales', 'ops'],
  body: cancelProductOrderBody(),
  // An order is cancelled once: the order names the cancellation.
  clientIdentity: (body) => `productOrder:${body.productOrder.id}`,
  handle: async (req) => {
    const { productOrder, cancellationReason, requestedCancellationDate } = req.body;
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const request = {
      cancellationReason,
      ...(requestedCancellationDate ? { requestedCancellationDate } : {}),
    };
    const { order, cancel } = await cancelOrder(productOrder.id, request, ctx);
    logger.info('cancellation requested', { orderId: order.id, cancelId: cancel.id, state: order.state });
    return {
      status: 201,
      body: toCancelProductOrderResource(cancel, baseUrlOf(req.headers), audienceOf(req.principal)),
      headers: { Location: `${ORDERING_PATH}/cancelProductOrder/${cancel.id}` },
    };
  },
});
