import type { SourceEvent } from '#domain/projections/source-event';
import { rowIdOf, timelineView, type ViewName, viewsFor } from '#domain/projections/views';
import {
  applyToRow,
  loadPointer,
  type Pointer,
  putTimelineEntry,
  targetVersions,
} from './read-model-store.ts';

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
 * Applies one event to every view it feeds, in the active projection version and in the one
 * being rebuilt (so a blue/green switch loses nothing). Idempotent: safe to call again.
 */
export const projectEvent = async (
  event: SourceEvent,
  now: string,
  pointerOf: (view: ViewName) => Promise<Pointer> = pointerCache(),
): Promise<{ views: ViewName[]; written: number }> => {
  const views = viewsFor(event);
  let written = 0;
  for (const view of views) {
    const pointer = await pointerOf(view);
    for (const version of targetVersions(pointer)) {
      if (view === 'account-timeline') {
        const entry = timelineView.entryOf(event, now);
        if (entry && (await putTimelineEntry(version, entry))) written++;
      } else if (await applyToRow(view, version, rowIdOf(event), [event], now)) {
        written++;
      }
    }
  }
  return { views, written };
};
