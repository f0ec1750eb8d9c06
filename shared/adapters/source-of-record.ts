import type { InstalledProduct } from '#domain/inventory/product';
import type { ProductOrder } from '#domain/order/product-order';
import {
  orderSnapshotEvents,
  productSnapshotEvents,
  quoteSnapshotEvents,
} from '#domain/projections/snapshot-events';
import type { SourceEvent } from '#domain/projections/source-event';
import type { Quote } from '#domain/quote/quote-types';
import { loadSourceEvents } from './projection-replay.ts';
import { loadAllOfType } from './type-index.ts';

export type SourceOfRecord = {
  events: SourceEvent[];
  /** Aggregates whose outbox still holds their whole life: replayed event by event. */
  replayed: number;
  /** Aggregates whose first events expired: read from the aggregate itself. */
  fromAggregate: number;
  /** Aggregates that could not be read as a quote or an order (named for the operator). */
  unreadable: string[];
};

const snapshotOf = (kind: 'QUOTE' | 'ORDER' | 'PRODUCT', data: Record<string, unknown>, version: number) =>
  kind === 'QUOTE'
    ? quoteSnapshotEvents(data as unknown as Quote, version)
    : kind === 'ORDER'
      ? orderSnapshotEvents(data as unknown as ProductOrder, version)
      : productSnapshotEvents(data as unknown as InstalledProduct, version);

/**
 * Every quote, order and installed product as the projections need it, whatever its age. The outbox keeps events for
 * its retention only and expires them oldest first: an aggregate whose creation event (version 1)
 * is still there has its whole life in the outbox and is replayed exactly; any other is read from
 * the aggregate (the source of record) as snapshot events. Outbox events of aggregates that are no
 * longer stored are replayed as they are.
 */
export const loadSourceOfRecord = async (): Promise<SourceOfRecord> => {
  const retained = new Map<string, SourceEvent[]>();
  for (const e of await loadSourceEvents()) {
    const key = `${e.aggregateType}#${e.aggregateId}`;
    retained.set(key, [...(retained.get(key) ?? []), e]);
  }
  const out: SourceOfRecord = { events: [], replayed: 0, fromAggregate: 0, unreadable: [] };
  // Installed products feed the timeline's asset entries.
  for (const kind of ['QUOTE', 'ORDER', 'PRODUCT'] as const) {
    for (const { data, version } of await loadAllOfType(kind.toLowerCase())) {
      const id = String(data.id);
      const key = `${kind}#${id}`;
      const events = retained.get(key) ?? [];
      retained.delete(key);
      if (events.some((e) => e.aggregateVersion === 1)) {
        out.events.push(...events);
        out.replayed++;
        continue;
      }
      try {
        out.events.push(...snapshotOf(kind, data, version));
        out.fromAggregate++;
      } catch {
        out.unreadable.push(key);
      }
    }
  }
  for (const events of retained.values()) out.events.push(...events);
  return out;
};
