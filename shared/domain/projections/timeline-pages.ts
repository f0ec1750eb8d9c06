import { streamOf, type TimelineEntry, type TimelineStream, timelineSources } from './account-timeline.ts';

/**
 * Pages of an account's timeline. Entries are stored per stream (source and visibility); a page
 * reads each stream from its own position and merges them in time order, so the sealed cursor
 * carries one position per stream.
 */
/** Where a timeline page stopped in each stream: the key of the last entry it returned from it. */
export type TimelinePosition = Partial<Record<TimelineStream, string>>;

const streamNames = new Set<string>(
  timelineSources.flatMap((s) => [streamOf(s, 'channel'), streamOf(s, 'staff')]),
);

export const isTimelinePosition = (p: unknown): p is TimelinePosition =>
  typeof p === 'object' &&
  p !== null &&
  !Array.isArray(p) &&
  Object.entries(p).every(([k, v]) => streamNames.has(k) && typeof v === 'string' && v.length <= 512);

/**
 * One page of the merged timeline from each stream's next entries (each in key order, after the
 * stream's position): the `limit` earliest, and the position after them per stream; no position
 * when every stream has been read to its end.
 */
export const mergeTimelinePage = (
  streams: { stream: TimelineStream; entries: TimelineEntry[]; more: boolean }[],
  limit: number,
  after: TimelinePosition = {},
): { entries: TimelineEntry[]; next?: TimelinePosition } => {
  const all = streams
    .flatMap((s) => s.entries.map((entry) => ({ stream: s.stream, entry })))
    .sort((a, b) => (a.entry.key < b.entry.key ? -1 : a.entry.key > b.entry.key ? 1 : 0));
  const page = all.slice(0, limit);
  const position: TimelinePosition = { ...after };
  for (const { stream, entry } of page) position[stream] = entry.key;
  const more = all.length > page.length || streams.some((s) => s.more);
  return { entries: page.map((p) => p.entry), ...(more ? { next: position } : {}) };
};
