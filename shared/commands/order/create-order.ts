import { randomUUID } from 'node:crypto';
import { ExtraItemConflict } from '#adapters/aggregate-store';
import { catalogForDrafts } from '#adapters/catalog-store';
import { jeopardyWatch } from '#adapters/jeopardy-watch';
import { conversionRecord, loadConversion, saveOrder } from '#adapters/order-repository';
import { unpacked } from '#adapters/packed-data';
import { loadQuoteWithCatalog } from '#adapters/quote-repository';
import { holdProducts, productTaken } from '#commands/inventory/hold-products';
import type { CommandContext } from '#domain/actor';
import { productNamesOf } from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import { acceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { convertQuoteToOrder, type ProductOrderCreateRequest } from '#domain/order/convert-quote';
import { leadTimesOf, nextJeopardyCheck } from '#domain/order/jeopardy';
import type { ProductOrder } from '#domain/order/product-order';
import { logger } from '#plumbing/observability';
import { createOnce } from '../optimistic-concurrency.ts';

const alreadyConverted = (quoteId: string, orderId: string | undefined): DomainError => {
  logger.info('quote already converted', { quoteId, orderId });
  return new DomainError('QUOTE_ALREADY_CONVERTED', 'This quote has already been converted to an order', {
    quoteId,
    ...(orderId ? { orderId } : {}),
  });
};

/**
 * TMF622 createProductOrder from an accepted quote. No separate look-up of an earlier
 * conversion: the conversion record is written in the order's transaction under
 * attribute_not_exists, and a refusal names the winner's order.
 */
export const createOrderFromQuote = async (
  quoteId: string,
  request: ProductOrderCreateRequest,
  ctx: CommandContext,
): Promise<ProductOrder> => {
  const read = await loadQuoteWithCatalog(ctx.actor, quoteId);
  const stored = read.quote();
  // Lead times and product names only (prices come from the accepted snapshot): an unreadable
  // catalog leaves the defaults.
  const catalog = await catalogForDrafts(read.catalog).catch(() => undefined);
  const { order, events } = convertQuoteToOrder(request, acceptedQuoteSnapshot(stored.aggregate), {
    ...ctx,
    orderId: `po-${randomUUID()}`,
    leadTimes: leadTimesOf(catalog?.release),
    productNames: productNamesOf(catalog?.release),
  });
  const watch = jeopardyWatch(order.id, nextJeopardyCheck(order, ctx.now) ?? ctx.now);
  const held = await holdProducts(order, ctx.actor);
  try {
    const version = await createOnce(
      () => saveOrder(order, 0, events, ctx, [conversionRecord(order, ctx), watch, ...held]),
      // A new order id cannot conflict: a racing transaction held the conversion record.
      async () => {
        const winner = await loadConversion(quoteId);
        if (winner) throw alreadyConverted(quoteId, winner.orderId);
      },
    );
    return { ...order, version };
  } catch (error) {
    if (error instanceof ExtraItemConflict && error.index === 0) {
      const winner =
        (error.existing?.orderId as string | undefined) ?? (await loadConversion(quoteId))?.orderId;
      throw alreadyConverted(quoteId, winner);
    }
    if (error instanceof ExtraItemConflict && error.index >= 2) {
      const taken = error.existing && unpacked<{ id?: string } | undefined>(error.existing);
      throw productTaken(taken?.id);
    }
    throw error;
  }
};
