import type { OrderTrackingRow } from '#domain/projections/order-tracking';
import type { SourceEvent } from '#domain/projections/source-event';
import { type RowViewName, rowIdOf, timelineView, type ViewName, viewsFor } from '#domain/projections/views';
import {
  applyToRow,
  loadPointer,
  type Pointer,
  putTimelineEntry,
  targetVersions,
} from './read-model-store.ts';
import { indexEvents } from './search-store.ts';

/** Pointers read once per invocation: a rebuild that starts later is seen by the next batch. */
export const pointerCache = () => {
  const cache = new Map<ViewName, Promise<Pointer>>();
  return (view: ViewName): Promise<Pointer> => {
    let p = cache.get(view);
    if (!p) {
      p = loadPointer(view);
      cache.set(view, p);
    }
    return p;
  };
};

/**
 * Applies events to every view they feed, in the active projection version and in the one being
 * rebuilt (so a blue/green switch loses nothing); idempotent, safe to call again. All events of one row in one read-modify-write (one read and at most
 * one guarded write per row and batch, in stream order), timeline entries one by one (each is
 * its own conditional put). Answers the events whose writes failed, for the batch response.
 */
export const projectBatch = async (
  events: SourceEvent[],
  now: string,
  pointerOf: (view: ViewName) => Promise<Pointer> = pointerCache(),
): Promise<{ failed: Set<SourceEvent>; written: number; rows: Map<string, unknown> }> => {
  const rows = new Map<string, { view: RowViewName; version: number; id: string; events: SourceEvent[] }>();
  /** Each row as this batch left it (`<view>#<version>#<id>`), written or already current. */
  const after = new Map<string, unknown>();
  const timeline: { version: number; event: SourceEvent }[] = [];
  for (const event of events) {
    for (const view of viewsFor(event)) {
      for (const version of targetVersions(await pointerOf(view))) {
        if (view === 'account-timeline') {
          timeline.push({ version, event });
          continue;
        }
        const id = rowIdOf(event);
        const key = `${view}#${version}#${id}`;
        const group = rows.get(key) ?? { view, version, id, events: [] };
        group.events.push(event);
        rows.set(key, group);
      }
    }
  }
  const failed = new Set<SourceEvent>();
  let written = 0;
  const attempt = async (write: () => Promise<boolean>, sources: SourceEvent[]) => {
    try {
      if (await write()) written++;
    } catch {
      for (const e of sources) failed.add(e);
    }
  };
  for (const [key, g] of rows)
    await attempt(async () => {
      const result = await applyToRow(g.view, g.version, g.id, g.events, now);
      if (result.row !== undefined) after.set(key, result.row);
      return result.written;
    }, g.events);
  for (const { version, event } of timeline) {
    const entry = timelineView.entryOf(event, now);
    if (entry) await attempt(() => putTimelineEntry(version, entry), [event]);
  }
  return { failed, written, rows: after };
};

/**
 * Everything the outbox events of one stream batch feed: the read models, then the search
 * documents (orders' from the tracking rows just written). The stream groups each aggregate's
 * events in order on one shard, so each row and document is read and written once per batch,
 * without write conflicts. Answers the events whose writes failed.
 */
export const projectEvents = async (
  events: SourceEvent[],
  now: string,
): Promise<{ failed: Set<SourceEvent>; written: number }> => {
  const pointers = pointerCache();
  const views = await projectBatch(events, now, pointers);
  // Orders' search documents come from the tracking rows this batch just left, not a re-read.
  const trackingRowOf = async (orderId: string) =>
    views.rows.get(`order-tracking#${(await pointers('order-tracking')).active}#${orderId}`) as
      | OrderTrackingRow
      | undefined;
  const search = await indexEvents(events, now, trackingRowOf);
  return { failed: new Set([...views.failed, ...search.failed]), written: views.written + search.written };
};
