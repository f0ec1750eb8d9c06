import { createOrderFromQuote } from '#commands/order/create-order';
import { commandHandler } from '#plumbing/http/command-handler';
import { orderPath, orderResponse } from '#plumbing/http/order-http';
import { createProductOrderBody } from '#plumbing/http/order-schemas';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';

export const handler = commandHandler({
  operation: 'order-create',
  roles: ['partner', 'sales'],
  body: createProductOrderBody(),
  clientIdentity: (body) => (body.externalId === undefined ? undefined : `externalId:${body.externalId}`),
  handle: async (req) => {
    const quoteId = req.body.quote[0]!.id;
    emit('ConversionAttempts', 1);
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const order = await createOrderFromQuote(quoteId, req.body, ctx);
    logger.info('order created', { orderId: order.id, quoteId });
    emit('OrdersCreated', 1);
    return orderResponse(201, order, req, { Location: orderPath(order.id) });
  },
});
