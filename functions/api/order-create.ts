import { randomUUID } from 'node:crypto';
import { ExtraItemConflict, VersionConflict } from '#adapters/aggregate-store';
import { catalogForDrafts } from '#adapters/catalog-store';
import { jeopardyWatch } from '#adapters/jeopardy-watch';
import {
  acceptedQuoteSnapshot,
  conversionRecord,
  loadConversion,
  saveOrder,
} from '#adapters/order-repository';
import { loadQuoteWithCatalog } from '#adapters/quote-repository';
import { DomainError } from '#domain/errors';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { leadTimesOf, nextJeopardyCheck } from '#domain/order/jeopardy';
import { commandHandler } from '#plumbing/http/command-handler';
import { orderPath, orderResponse } from '#plumbing/http/order-http';
import { createProductOrderBody } from '#plumbing/http/order-schemas';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';

const alreadyConverted = (quoteId: string, orderId: string | undefined): DomainError => {
  logger.info('quote already converted', { quoteId, orderId });
  return new DomainError('QUOTE_ALREADY_CONVERTED', 'This quote has already been converted to an order', {
    quoteId,
    ...(orderId ? { orderId } : {}),
  });
};

export const handler = commandHandler({
  operation: 'order-create',
  roles: ['partner', 'sales'],
  body: createProductOrderBody(),
  handle: async (req) => {
    const quoteId = req.body.quote[0]!.id;
    emit('ConversionAttempts', 1);
    const read = await loadQuoteWithCatalog(req.principal, quoteId);
    const stored = read.quote();
    // No separate look-up of an earlier conversion: the conversion record is written in the same
    // transaction under attribute_not_exists, and a refusal returns the winner's order id.
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    // Lead times only (prices come from the accepted snapshot): an unreadable catalog leaves the defaults.
    const catalog = await catalogForDrafts(read.catalog).catch(() => undefined);
    const { order, events } = convertQuoteToOrder(req.body, acceptedQuoteSnapshot(stored.aggregate), {
      ...ctx,
      orderId: `po-${randomUUID()}`,
      leadTimes: leadTimesOf(catalog?.release),
    });
    const watch = jeopardyWatch(order.id, nextJeopardyCheck(order, req.now) ?? req.now);
    for (let attempt = 1; ; attempt++) {
      try {
        const version = await saveOrder(order, 0, events, ctx, [conversionRecord(order, ctx), watch]);
        logger.info('order created', { orderId: order.id, quoteId });
        emit('OrdersCreated', 1);
        return orderResponse(201, { ...order, version }, req.headers, { Location: orderPath(order.id) });
      } catch (error) {
        if (error instanceof ExtraItemConflict && error.index === 0) {
          const winner =
            (error.existing?.orderId as string | undefined) ?? (await loadConversion(quoteId))?.orderId;
          throw alreadyConverted(quoteId, winner);
        }
        // A new order id cannot conflict: a racing transaction held the conversion record.
        if (!(error instanceof VersionConflict) || attempt >= 3) throw error;
        await new Promise((r) => setTimeout(r, 20 * attempt));
        const winner = await loadConversion(quoteId);
        if (winner) throw alreadyConverted(quoteId, winner.orderId);
      }
    }
  },
});
