import type { Quote } from '#domain/quote/quote-types';

/**
 * What order conversion needs from an accepted quote. The quote side produces it; the order keeps
 * its prices verbatim, so billing uses the accepted commercial commitment, never a current price.
 */
export type AcceptedQuoteLinePrice = {
  /** Minor units, line totals (quantity included). */
  netOneTime: number;
  netRecurring: number;
  listOneTime: number;
  listRecurring: number;
  discountPercent: number;
};

export type AcceptedQuoteLine = {
  lineId: string;
  offeringId: string;
  quantity: number;
  options: Record<string, string | number>;
  productFamily?: string;
  price: AcceptedQuoteLinePrice;
};

export type AcceptedQuoteSnapshot = {
  quoteId: string;
  channelId: string;
  accountId: string;
  /** TMF648 quote state; only `accepted` converts. */
  state: string;
  validUntil: string;
  acceptance?: { snapshotHash: string; acceptedAt: string };
  currency: string;
  lines: AcceptedQuoteLine[];
  catalogVersion: string;
  priceBookVersion: string;
};

/** What order conversion reads from a stored quote: the accepted snapshot, never the catalog. */
export const acceptedQuoteSnapshot = (quote: Quote): AcceptedQuoteSnapshot => {
  const waterfall = new Map((quote.priceSnapshot?.lines ?? []).map((l) => [l.lineId, l]));
  const lines: AcceptedQuoteLine[] = quote.lines.map((line) => {
    const priced = waterfall.get(line.lineId);
    return {
      lineId: line.lineId,
      offeringId: line.offeringId,
      quantity: line.quantity,
      options: { ...line.options } as Record<string, string | number>,
      ...(line.productFamily ? { productFamily: line.productFamily } : {}),
      price: {
        netOneTime: priced?.netOneTime ?? 0,
        netRecurring: priced?.netRecurring ?? 0,
        listOneTime: priced?.listOneTime ?? 0,
        listRecurring: priced?.listRecurring ?? 0,
        discountPercent: priced?.discountPercent ?? 0,
      },
    };
  });
  return {
    quoteId: quote.id,
    channelId: quote.channelId,
    accountId: quote.customer.accountId,
    state: quote.state,
    validUntil: quote.validFor.endDateTime,
    ...(quote.acceptance
      ? {
          acceptance: {
            snapshotHash: quote.acceptance.snapshotHash,
            acceptedAt: quote.acceptance.acceptedAt,
          },
        }
      : {}),
    currency: quote.currency,
    lines,
    catalogVersion: quote.acceptance?.catalogVersion ?? quote.priceSnapshot?.catalogVersion ?? '',
    priceBookVersion: quote.acceptance?.priceBookVersion ?? quote.priceSnapshot?.priceBookVersion ?? '',
  };
};
