import type { ProductOrder } from '#domain/order/product-order';
import { applyOrderEvent, type OrderTrackingRow } from '#domain/projections/order-tracking';
import { orderSnapshotEvents, quoteSnapshotEvents } from '#domain/projections/snapshot-events';
import type { Quote } from '#domain/quote/quote-types';
import type { OrderSearchDoc } from '#domain/search/order-search';
import type { QuoteSearchDoc } from '#domain/search/quote-search';
import { indexOrder, indexQuote, loadDoc } from './search-store.ts';
import { loadAllOfType } from './type-index.ts';
import { writeThrottle } from './write-throttle.ts';

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

export type SearchRebuildReport = {
  documents: number;
  /** Documents that still disagree with their aggregate after the rebuild (none when it succeeded). */
  differences: { type: 'quote' | 'order'; id: string; source: { version: number; state: string } }[];
  unreadable: string[];
};

/**
 * Every search document re-indexed from its aggregate (of any age), then verified document by
 * document against the aggregate's version and state. Paced like the read-model rebuild.
 */
export const rebuildSearchIndex = async (
  options: { maxDocumentsPerSecond?: number; now?: () => string } = {},
): Promise<SearchRebuildReport> => {
  const now = options.now ?? (() => new Date().toISOString());
  const throttle = writeThrottle(options.maxDocumentsPerSecond ?? Number.POSITIVE_INFINITY);
  const report: SearchRebuildReport = { documents: 0, differences: [], unreadable: [] };
  for (const type of ['quote', 'order'] as const) {
    for (const { data, version } of await loadAllOfType(type)) {
      const id = String(data.id);
      const source = { version, state: String(data.state) };
      await throttle();
      try {
        await reindexFromAggregate(type, data, version, now());
      } catch {
        report.unreadable.push(`${type}#${id}`);
        continue;
      }
      report.documents++;
      const indexed = await indexedVersion(type, id);
      if (!indexed || indexed.version < source.version || indexed.state !== source.state)
        report.differences.push({ type, id, source });
    }
  }
  return report;
};
