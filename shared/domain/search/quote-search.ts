import { isQuoteEvent } from '#domain/projections/quote-summary';
import {
  cursorOf,
  type Freshness,
  freshnessAfter,
  isAfter,
  obj,
  type SourceEvent,
  str,
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

const productsOf = (v: unknown): QuoteSearchDoc['products'] => {
  const seen = new Map<string, string | undefined>();
  for (const p of Array.isArray(v) ? v : []) {
    const offeringId = str(obj(p)?.offeringId);
    if (offeringId && !seen.has(offeringId)) seen.set(offeringId, str(obj(p)?.productFamily));
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
  event: SourceEvent,
  now: string,
): QuoteSearchDoc | undefined => {
  if (!isQuoteEvent(event)) return doc;
  const cursor = cursorOf(event);
  if (doc && !isAfter(cursor, doc.cursor)) return doc;
  const r = event.resource;
  const customer = obj(r.customer);
  const name = str(customer?.name) ?? doc?.customer.name ?? '';
  const price = obj(r.price) ?? obj(r.acceptance);
  const validFor = obj(r.validFor);
  return {
    documentType: 'quote',
    quoteId: event.aggregateId,
    quoteNumber: event.aggregateId,
    revision: event.aggregateVersion,
    state: str(r.state) ?? doc?.state ?? 'inProgress',
    channelId: str(r.channelId) ?? doc?.channelId ?? '',
    ...(str(r.externalId) ? { externalId: str(r.externalId) } : {}),
    customer: {
      accountId: str(r.accountId) ?? doc?.customer.accountId ?? '',
      name,
      nameLower: name.toLowerCase(),
      ...(str(customer?.region) ? { region: str(customer?.region) } : {}),
      ...(str(customer?.segment) ? { segment: str(customer?.segment) } : {}),
    },
    currency: str(r.currency) ?? doc?.currency,
    products: r.products === undefined ? (doc?.products ?? []) : productsOf(r.products),
    dates: {
      createdAt: str(r.createdAt) ?? doc?.dates.createdAt,
      expiresAt: str(validFor?.endDateTime) ?? doc?.dates.expiresAt,
    },
    trace: price
      ? {
          catalogVersion: str(price.catalogVersion),
          priceBookVersion: str(price.priceBookVersion),
          policyVersion: str(price.policyVersion),
        }
      : (doc?.trace ?? {}),
    cursor,
    freshness: freshnessAfter(doc?.freshness, event, now),
  };
};
