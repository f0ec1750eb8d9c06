import type { CompactQuote, QuoteEvent } from '#domain/events';
import { isQuoteEvent } from '#domain/projections/quote-summary';
import {
  cursorOf,
  type Freshness,
  freshnessAfter,
  isAfter,
  type SourceEvent,
  typedEvent,
} from '#domain/projections/source-event';

/** Requirements 003 §6.1, reduced to what this domain has: designed for retrieval, not normalization. */
export type QuoteSearchDoc = {
  documentType: 'quote';
  quoteId: string;
  quoteNumber: string;
  revision: number;
  state: string;
  channelId: string;
  externalId?: string;
  customer: { accountId: string; name: string; nameLower: string; region?: string; segment?: string };
  currency?: string;
  products: { offeringId: string; productFamily?: string }[];
  dates: { createdAt?: string; expiresAt?: string };
  trace: { catalogVersion?: string; priceBookVersion?: string; policyVersion?: string };
  cursor: string;
  freshness: Freshness;
};

const productsOf = (products: CompactQuote['products']): QuoteSearchDoc['products'] => {
  const seen = new Map<string, string | undefined>();
  for (const p of products) {
    if (p?.offeringId && !seen.has(p.offeringId)) seen.set(p.offeringId, p.productFamily);
  }
  return [...seen].map(([offeringId, productFamily]) => ({
    offeringId,
    ...(productFamily ? { productFamily } : {}),
  }));
};

/**
 * Every quote event carries the compact quote, so the document is the latest event's compact
 * quote (highest cursor wins): duplicates and out-of-order deliveries change nothing. The price
 * trace is kept from the last event that carried one.
 */
export const applyQuoteSearch = (
  doc: QuoteSearchDoc | undefined,
  source: SourceEvent,
  now: string,
): QuoteSearchDoc | undefined => {
  const event = isQuoteEvent(source) ? typedEvent(source) : undefined;
  if (!event) return doc;
  const cursor = cursorOf(event);
  if (doc && !isAfter(cursor, doc.cursor)) return doc;
  const r = event.resource as QuoteEvent['resource'];
  const customer = r.customer;
  const name = customer?.name ?? doc?.customer.name ?? '';
  const price = ('price' in r ? r.price : undefined) ?? ('acceptance' in r ? r.acceptance : undefined);
  const validFor = r.validFor;
  return {
    documentType: 'quote',
    quoteId: event.aggregateId,
    quoteNumber: event.aggregateId,
    revision: event.aggregateVersion,
    state: r.state ?? doc?.state ?? 'inProgress',
    channelId: r.channelId ?? doc?.channelId ?? '',
    ...(r.externalId ? { externalId: r.externalId } : {}),
    customer: {
      accountId: r.accountId ?? doc?.customer.accountId ?? '',
      name,
      nameLower: name.toLowerCase(),
      ...(customer?.region ? { region: customer.region } : {}),
      ...(customer?.segment ? { segment: customer.segment } : {}),
    },
    currency: r.currency ?? doc?.currency,
    products: r.products === undefined ? (doc?.products ?? []) : productsOf(r.products),
    dates: {
      createdAt: r.createdAt ?? doc?.dates.createdAt,
      expiresAt: validFor?.endDateTime ?? doc?.dates.expiresAt,
    },
    trace: price
      ? {
          catalogVersion: price.catalogVersion,
          priceBookVersion: price.priceBookVersion,
          policyVersion: price.policyVersion,
        }
      : (doc?.trace ?? {}),
    cursor,
    freshness: freshnessAfter(doc?.freshness, source, now),
  };
};
