import type { ProductOrder } from '#domain/order/product-order';
import { applyOrderEvent, type OrderTrackingRow } from '#domain/projections/order-tracking';
import { orderSnapshotEvents, quoteSnapshotEvents } from '#domain/projections/snapshot-events';
import type { Quote } from '#domain/quote/quote-types';
import type { OrderSearchDoc } from '#domain/search/order-search';
import type { QuoteSearchDoc } from '#domain/search/quote-search';
import { indexOrder, indexQuote, loadDoc } from './search-store.ts';

/** What a stored search document says of its source: the version it reflects and the state. */
export const indexedVersion = async (
  type: 'quote' | 'order',
  id: string,
): Promise<{ version: number; state: string } | undefined> => {
  const stored = await loadDoc(type, id);
  if (!stored) return undefined;
  if (type === 'quote') {
    const doc = stored.state as QuoteSearchDoc | undefined;
    return doc ? { version: doc.revision, state: doc.state } : undefined;
  }
  const doc = stored.doc as OrderSearchDoc | undefined;
  return doc ? { version: stored.sourceVersion ?? doc.freshness.sourceVersion, state: doc.state } : undefined;
};

/**
 * Re-indexes one document from its aggregate (of any age): the aggregate's snapshot events through
 * the same reducers the projector uses, written like any projected change.
 */
export const reindexFromAggregate = async (
  type: 'quote' | 'order',
  aggregate: Record<string, unknown>,
  version: number,
  now: string,
): Promise<void> => {
  if (type === 'quote') {
    const quote = aggregate as unknown as Quote;
    await indexQuote(quote.id, quoteSnapshotEvents(quote, version), now);
    return;
  }
  const order = aggregate as unknown as ProductOrder;
  const row = orderSnapshotEvents(order, version).reduce<OrderTrackingRow | undefined>(
    (r, e) => applyOrderEvent(r, e, now),
    undefined,
  );
  if (row) await indexOrder(order.id, row);
};
