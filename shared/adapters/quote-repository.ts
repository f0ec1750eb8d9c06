import {
  aggregateKey,
  type ExtraItem,
  loadAggregates,
  type Stored,
  saveAggregate,
} from '#adapters/aggregate-store';
import { type CatalogPointer, type CatalogRead, catalogPointerId } from '#adapters/catalog-store';
import { aggregatePage } from '#adapters/key-pages';
import { withPages } from '#adapters/quote-loader';
import { changedQuotePages, quoteLayoutOf, quotePageItems } from '#adapters/quote-pages';
import { planQuoteList, quoteIndexKeys } from '#domain/access/tmf-list-keys';
import { canSeeQuote } from '#domain/access/visibility';
import type { Actor } from '#domain/actor';
import { DomainError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';
import { type ApproverRecord, withAuthorityOfRecord } from '#domain/quote/approver-record';
import type { Quote, QuoteState } from '#domain/quote/quote';
import { env } from '#plumbing/env';

/**
 * A partner sees its own channel only, a seller limited to a region its region's quotes (and those
 * without one); anything else is indistinguishable from absent.
 */
const visibleTo = (principal: Actor, quoteId: string, stored: Stored<Quote> | undefined): Stored<Quote> => {
  if (!stored || !canSeeQuote(principal, stored.aggregate)) {
    throw new DomainError('NOT_FOUND', `Quote ${quoteId} not found`);
  }
  return stored;
};

/**
 * The quote (as the caller may see it) and the current catalog pointer in one request: every
 * command and read of a quote needs both. Each part fails on its own, as two reads would; the
 * caller decides in which order they matter.
 */
export const loadQuoteWithCatalog = async (
  principal: Actor,
  quoteId: string,
): Promise<{ quote: () => Stored<Quote>; catalog: CatalogRead; actor: () => Actor }> => {
  // An approver's authority of record comes in the same batch read as the quote it decides on.
  const approver = principal.role === 'approver';
  const [quote, catalog, authority] = await loadAggregates([
    { kind: 'QUOTE', id: quoteId },
    { kind: 'CATALOG', id: catalogPointerId },
    ...(approver ? [{ kind: 'APPROVER' as const, id: principal.principalId }] : []),
  ]);
  // A large quote's pages are read now; a failure to read them is the quote's, raised when asked.
  let whole: { stored?: Stored<Quote>; error?: unknown };
  try {
    const item = quote!.item();
    whole = item ? { stored: await withPages(item) } : {};
  } catch (error) {
    whole = { error };
  }
  return {
    quote: () => {
      if (whole.error) throw whole.error;
      return visibleTo(principal, quoteId, whole.stored);
    },
    catalog: async () => catalog!<CatalogPointer>(),
    actor: () =>
      approver ? withAuthorityOfRecord(principal, authority!<ApproverRecord>()?.aggregate) : principal,
  };
};

/** A new quote. Account ids need no claim: a partner's names an account of its channel only. */
export const saveNewQuote = (
  quote: Quote,
  events: readonly DomainEvent[],
  ctx: { correlationId: string; now: string },
): Promise<number> => saveQuote(quote, 0, events, ctx);

/**
 * Writes the quote, its events and extra items in one version-checked transaction; a large
 * quote's header with only the pages that changed since `before` (the quote as loaded), all of
 * them when new or when `before` is not known.
 */
export const saveQuote = (
  quote: Quote,
  expectedVersion: number,
  events: readonly DomainEvent[],
  ctx: { correlationId: string; now: string },
  extraItems?: ExtraItem[],
  before?: Quote,
): Promise<number> => {
  const layout = quoteLayoutOf(quote);
  const pages = changedQuotePages(layout, before && expectedVersion > 0 ? quoteLayoutOf(before) : undefined);
  const extras = [
    ...(extraItems ?? []),
    ...quotePageItems(aggregateKey('QUOTE', quote.id).pk, pages, ctx.now),
  ];
  return saveAggregate({
    ...(extras.length > 0 ? { extraItems: extras } : {}),
    kind: 'QUOTE',
    id: quote.id,
    expectedVersion,
    aggregate: layout.header,
    events,
    correlationId: ctx.correlationId,
    now: ctx.now,
    attributes: {
      ...quoteIndexKeys(quote),
      channelId: quote.channelId,
      state: quote.state,
      accountId: quote.customer.accountId,
      ...layout.attributes,
    },
  });
};

export type QuoteFilter = {
  state?: QuoteState;
  channelId?: string;
  limit: number;
  offset: number;
  after?: string;
};

/** Newest first from the index the filter selects: a page of keys, then exactly those quotes. */
export const listQuotes = async (
  principal: Actor,
  filter: QuoteFilter,
): Promise<{ quotes: Quote[]; next?: string }> => {
  const plan = planQuoteList(principal, filter);
  const page = await aggregatePage({
    table: env.table('aggregates'),
    index: plan.index,
    partitionAttribute: plan.partitionAttribute,
    partitions: plan.partitions,
    limit: filter.limit,
    offset: filter.offset,
    ...(filter.after ? { after: filter.after } : {}),
  });
  const items = await Promise.all(page.items.map(withPages));
  // An index entry may trail the quote: one that no longer matches is left out, not shown.
  const quotes = items
    .map((stored) => ({ ...stored.aggregate, version: stored.version }))
    .filter((q) => (!filter.state || q.state === filter.state) && canSeeQuote(principal, q));
  return { quotes, ...(page.next ? { next: page.next } : {}) };
};
