import { ExtraItemConflict } from '#adapters/aggregate-store';
import { catalogForDrafts } from '#adapters/catalog-store';
import { jeopardyWatch } from '#adapters/jeopardy-watch';
import { conversionRecord, loadConversion } from '#adapters/order-repository';
import { loadQuoteWithCatalog } from '#adapters/quote-repository';
import type { CommandContext } from '#domain/actor';
import { productNamesOf } from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import { acceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { type AmendmentRequest, amendOrder } from '#domain/order/amend-order';
import { leadTimesOf, nextJeopardyCheck } from '#domain/order/jeopardy';
import type { OrderRevision, ProductOrder } from '#domain/order/product-order';
import { changeOrder } from '../order-command.ts';

/**
 * A revision of an order in flight to a new accepted quote. The order's version-checked write is
 * the arbiter against the running workflow: a dispatch claimed first means the point of no return
 * is decided again on the order as it is now; a dispatch claimed after finds its work withdrawn.
 * The revision quote's conversion record is written in the same transaction, so that quote
 * converts once, here or as a new order, never both; so is a jeopardy watch for the new items.
 */
export const reviseOrder = async (
  orderId: string,
  quoteId: string,
  request: AmendmentRequest,
  ctx: CommandContext,
  ifMatch: string | undefined,
): Promise<{ order: ProductOrder; revision: OrderRevision }> => {
  const read = await loadQuoteWithCatalog(ctx.actor, quoteId);
  const quote = acceptedQuoteSnapshot(read.quote().aggregate);
  // Lead times and product names only (prices come from the accepted snapshot): an unreadable
  // catalog leaves the defaults.
  const catalog = await catalogForDrafts(read.catalog).catch(() => undefined);
  const leadTimes = leadTimesOf(catalog?.release);
  const productNames = productNamesOf(catalog?.release);
  try {
    const { order, result } = await changeOrder({
      orderId,
      ctx,
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      decide: (current) => {
        const amended = amendOrder(current, request, quote, { ...ctx, leadTimes, productNames });
        return {
          order: amended.order,
          events: amended.events,
          result: amended.revision,
          // Added items bring their own expected completion: the jeopardy sweep looks again in time.
          extraItems: amended.replayed
            ? []
            : [
                conversionRecord(amended.order, ctx),
                jeopardyWatch(orderId, nextJeopardyCheck(amended.order, ctx.now) ?? ctx.now),
              ],
        };
      },
    });
    return { order, revision: result };
  } catch (error) {
    if (error instanceof ExtraItemConflict && error.index === 0) {
      const winner =
        (error.existing?.orderId as string | undefined) ?? (await loadConversion(quoteId))?.orderId;
      throw new DomainError('QUOTE_ALREADY_CONVERTED', 'This quote has already been ordered', {
        quoteId,
        ...(winner ? { orderId: winner } : {}),
      });
    }
    throw error;
  }
};
