import { streamOf, type TimelineEntry, type TimelineStream, timelineSources } from './account-timeline.ts';

/*
 * Pages of an account's timeline. Entries are stored per stream (source and visibility); a page
 * reads each stream from its own position and merges them in time order, so the sealed cursor
 * carries one position per stream: an entry that reaches a stream late, behind entries of other
 * streams already paged, is still read on the next page.
 */

/** Where a timeline page stopped in each stream: the key of the last entry it returned from it. */
export type TimelinePosition = Partial<Record<TimelineStream, string>>;

const allStreams: TimelineStream[] = timelineSources.flatMap((s) => [
  streamOf(s, 'channel'),
  streamOf(s, 'staff'),
]);

/** What the cursor seals: one slot per stream in a fixed order (`0`: not read yet), compact. */
export type CursorPosition = (string | 0)[];

export const toCursorPosition = (p: TimelinePosition): CursorPosition => allStreams.map((s) => p[s] ?? 0);

export const fromCursorPosition = (c: CursorPosition): TimelinePosition =>
  Object.fromEntries(allStreams.flatMap((s, i) => (c[i] ? [[s, c[i]]] : [])));

export const isCursorPosition = (p: unknown): p is CursorPosition =>
  Array.isArray(p) &&
  p.length === allStreams.length &&
  p.every((v) => v === 0 || (typeof v === 'string' && v.length > 0 && v.length <= 200));

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
