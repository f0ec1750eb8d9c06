import { type CommittedLine, committedLinesOf } from '#domain/order/committed-line';
import type { Quote } from '#domain/quote/quote-types';

/**
 * What order conversion needs from an accepted quote. The quote side produces it; the order keeps
 * its committed lines verbatim.
 */
export type AcceptedQuoteSnapshot = {
  quoteId: string;
  channelId: string;
  accountId: string;
  /** For display on the order (tracking view): the customer's name and the quote's revision. */
  customerName?: string;
  quoteRevision?: number;
  /** TMF648 quote state; only `accepted` converts. */
  state: string;
  validUntil: string;
  acceptance?: { snapshotHash: string; acceptedAt: string };
  currency: string;
  lines: CommittedLine[];
  catalogVersion: string;
  priceBookVersion: string;
};

/** What order conversion reads from a stored quote: the accepted snapshot, never the catalog. */
export const acceptedQuoteSnapshot = (quote: Quote): AcceptedQuoteSnapshot => ({
  quoteId: quote.id,
  channelId: quote.channelId,
  accountId: quote.customer.accountId,
  customerName: quote.customer.name,
  quoteRevision: quote.version,
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
  lines: committedLinesOf(quote),
  catalogVersion: quote.acceptance?.catalogVersion ?? quote.priceSnapshot?.catalogVersion ?? '',
  priceBookVersion: quote.acceptance?.priceBookVersion ?? quote.priceSnapshot?.priceBookVersion ?? '',
});
