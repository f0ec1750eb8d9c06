/**
 * EventBridge PutEvents limits: at most 10 entries per request, and the entries of one request
 * together under 256 KB, each entry's size computed as AWS documents it: 14 bytes for `Time`,
 * the UTF-8 bytes of `Source`, `DetailType`, `Detail` and each of `Resources`.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
export const putEventsMaxEntries = 10;
export const putEventsMaxBytes = 256 * 1024;

export type SizedEntry = {
  Time?: unknown;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: (string | null | undefined)[];
};

const utf8 = (s: string | null | undefined) => (s ? Buffer.byteLength(s, 'utf8') : 0);

export const putEventsEntrySize = (entry: SizedEntry): number =>
  (entry.Time !== undefined && entry.Time !== null ? 14 : 0) +
  utf8(entry.Source) +
  utf8(entry.DetailType) +
  utf8(entry.Detail) +
  (entry.Resources ?? []).reduce((n, r) => n + utf8(r), 0);

/**
 * Splits entries, in order, into requests that each hold at most 10 entries and less than
 * 256 KB. An entry too large for any request is returned on its own in `oversized`.
 */
export const putEventsBatches = <T>(
  items: T[],
  entryOf: (item: T) => SizedEntry,
): { batches: T[][]; oversized: T[] } => {
  const batches: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = putEventsEntrySize(entryOf(item));
    if (size >= putEventsMaxBytes) {
      oversized.push(item);
      continue;
    }
    if (current.length === putEventsMaxEntries || bytes + size >= putEventsMaxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
};
