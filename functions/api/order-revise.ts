import { reviseOrder } from '#commands/order/revise-order';
import { commandHandler } from '#plumbing/http/command-handler';
import { orderResponse } from '#plumbing/http/order-http';
import { reviseProductOrderBody } from '#plumbing/http/order-schemas';
import { logger } from '#plumbing/observability';

/**
 * A revision of an order in flight (`amend-order.ts`). With If-Match the client's version must be
 * current (412); the body's `revision` must be the next one (409 otherwise, a replay of an applied
 * revision answers the order unchanged).
 */
export const handler = commandHandler({
  operation: 'order-revise',
  roles: ['partner', 'sales', 'ops'],
  body: reviseProductOrderBody(),
  // A TMF client without a key: one revision number of one order is one request.
  clientIdentity: (body, params) => `productOrder:${params.id ?? ''}:revision:${body.revision}`,
  handle: async (req) => {
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const { productOrderItem, revision, reason } = req.body;
    const request = { revision, productOrderItem, ...(reason !== undefined ? { reason } : {}) };
    const { order } = await reviseOrder(
      req.params.id ?? '',
      req.body.quote[0]!.id,
      request,
      ctx,
      req.headers['if-match'],
    );
    logger.info('order revised', { orderId: order.id, revision: order.revision, state: order.state });
    return orderResponse(200, order, req);
  },
});
