import { changeTermsOf } from '#domain/inventory/change-pricing';
import { copyLineChange, type LineChange } from '#domain/inventory/line-change';
import type { CommittedPrice } from '#domain/inventory/price';
import { type LineReferences, lineReferencesOf } from '#domain/quote/line-references';
import type { Quote } from '#domain/quote/quote-types';

export type { CommittedPrice };

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
  /** Present when the line changes an installed product (MACD) instead of selling a new one. */
  change?: LineChange;
};

/** The committed line of each line of a quote: its configuration and its accepted prices. */
export const committedLinesOf = (quote: Quote): CommittedLine[] => {
  const priced = new Map((quote.priceSnapshot?.lines ?? []).map((l) => [l.lineId, l]));
  // A change is priced relative to the installed product as of its acceptance.
  const at = quote.acceptance?.acceptedAt ?? quote.pricedAt ?? quote.updatedAt;
  return quote.lines.map((line) => {
    const snapshot = priced.get(line.lineId);
    const price: CommittedPrice = {
      netOneTime: snapshot?.netOneTime ?? 0,
      netRecurring: snapshot?.netRecurring ?? 0,
      listOneTime: snapshot?.listOneTime ?? 0,
      listRecurring: snapshot?.listRecurring ?? 0,
      discountPercent: snapshot?.discountPercent ?? 0,
    };
    return {
      ...lineReferencesOf(line),
      quoteItemId: line.lineId,
      offeringId: line.offeringId,
      quantity: line.quantity,
      options: { ...line.options },
      ...(line.productFamily ? { productFamily: line.productFamily } : {}),
      ...(line.change ? { change: changeTermsOf(line.change, price, at) } : {}),
      price,
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
  ...(holder.change ? { change: copyLineChange(holder.change) } : {}),
  price: {
    netOneTime: holder.price.netOneTime,
    netRecurring: holder.price.netRecurring,
    listOneTime: holder.price.listOneTime,
    listRecurring: holder.price.listRecurring,
    discountPercent: holder.price.discountPercent,
  },
});
