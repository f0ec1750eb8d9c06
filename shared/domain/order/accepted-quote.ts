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
