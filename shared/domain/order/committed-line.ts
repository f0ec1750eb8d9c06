import { type LineReferences, lineReferencesOf } from '#domain/quote/line-references';
import type { Quote } from '#domain/quote/quote-types';

/** The accepted prices of one line: minor units, line totals (quantity included). */
export type CommittedPrice = {
  netOneTime: number;
  netRecurring: number;
  listOneTime: number;
  listRecurring: number;
  discountPercent: number;
};

/**
 * What the customer committed to on one quote line when the quote was accepted. The order item
 * and the billing handoff item hold it unchanged, and the audit compares it whole, so billing
 * works from the accepted commercial commitment, never a current price.
 */
export type CommittedLine = LineReferences & {
  quoteItemId: string;
  offeringId: string;
  quantity: number;
  options: Record<string, string | number>;
  /** The offering's product family in the accepted catalog (reporting); not price-relevant. */
  productFamily?: string;
  price: CommittedPrice;
};

/** The committed line of each line of a quote: its configuration and its accepted prices. */
export const committedLinesOf = (quote: Quote): CommittedLine[] => {
  const priced = new Map((quote.priceSnapshot?.lines ?? []).map((l) => [l.lineId, l]));
  return quote.lines.map((line) => {
    const price = priced.get(line.lineId);
    return {
      ...lineReferencesOf(line),
      quoteItemId: line.lineId,
      offeringId: line.offeringId,
      quantity: line.quantity,
      options: { ...line.options },
      ...(line.productFamily ? { productFamily: line.productFamily } : {}),
      price: {
        netOneTime: price?.netOneTime ?? 0,
        netRecurring: price?.netRecurring ?? 0,
        listOneTime: price?.listOneTime ?? 0,
        listRecurring: price?.listRecurring ?? 0,
        discountPercent: price?.discountPercent ?? 0,
      },
    };
  });
};

/** The committed line a holder carries (an order item, a billing handoff item), without its own fields. */
export const committedLineOf = (holder: CommittedLine): CommittedLine => ({
  ...lineReferencesOf(holder),
  quoteItemId: holder.quoteItemId,
  offeringId: holder.offeringId,
  quantity: holder.quantity,
  options: { ...holder.options },
  ...(holder.productFamily ? { productFamily: holder.productFamily } : {}),
  price: {
    netOneTime: holder.price.netOneTime,
    netRecurring: holder.price.netRecurring,
    listOneTime: holder.price.listOneTime,
    listRecurring: holder.price.listRecurring,
    discountPercent: holder.price.discountPercent,
  },
});
