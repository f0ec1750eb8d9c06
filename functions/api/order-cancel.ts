import { randomUUID } from 'node:crypto';
import { loadOrderFor, saveOrder } from '#adapters/order-repository';
import { channelCancelId } from '#domain/order/cancel-id';
import { requestCancellation } from '#domain/order/cancellation';
import { toCancelProductOrderResource } from '#domain/order/product-order-resource';
import { commandHandler } from '#plumbing/http/command-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { cancelProductOrderBody } from '#plumbing/http/order-schemas';
import { logger } from '#plumbing/observability';

export const handler = commandHandler({
  operation: 'order-cancel',
  roles: ['partner', 'sales', 'ops'],
  body: cancelProductOrderBody(),
  handle: async (req) => {
    const stored = await loadOrderFor(req.principal, req.body.productOrder.id);
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const { order, events, cancel } = requestCancellation(
      stored.aggregate,
      {
        cancelId: channelCancelId(stored.aggregate.id, randomUUID().replaceAll('-', '')),
        cancellationReason: req.body.cancellationReason,
        ...(req.body.requestedCancellationDate
          ? { requestedCancellationDate: req.body.requestedCancellationDate }
          : {}),
      },
      ctx,
    );
    // The cancellation event (outbox) restarts the fulfillment workflow, which runs compensation.
    if (events.length > 0) await saveOrder(order, stored.version, events, ctx);
    logger.info('cancellation requested', { orderId: order.id, cancelId: cancel.id, state: order.state });
    return { status: 201, body: toCancelProductOrderResource(cancel, baseUrlOf(req.headers)) };
  },
});
