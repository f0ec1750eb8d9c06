/**
 * A search document keeps the index entries it wrote, so its next write deletes exactly those
 * (whatever the code that wrote them). Spelled out, an order's 16 entries (index schema 1: 8
 * from schema 2, one per value) repeat the partition head, the order id, its date, channel and
 * correlation ids: 2 KB, which put the document item at 3 write units a write.
 * Coded, each repeated word is one marker character; decoding gives back the same entries.
 */

/** Marker of the i-th word; an entry holding any character of this range is kept as written. */
const marker = (i: number) => String.fromCharCode(0x10 + i);
const raw = '\u001f';
const isMarker = (c: string) => c >= '\u0010' && c <= raw;
const reserved = { test: (text: string) => [...text].some(isMarker) };

/** The words a document's entries repeat, longest first; none empty or holding a marker. */
const usable = (words: readonly (string | undefined)[]) =>
  [...new Set(words)]
    .filter((w): w is string => w !== undefined && w.length > 1 && !reserved.test(w))
    .sort((a, b) => b.length - a.length)
    .slice(0, 15);

export const encodeEntries = (
  entries: readonly string[],
  head: string,
  words: readonly (string | undefined)[],
): string[] => {
  const known = usable(words);
  return entries.map((entry) => {
    if (!entry.startsWith(head) || reserved.test(entry)) return `${raw}${entry}`;
    return known.reduce((code, word, i) => code.replaceAll(word, marker(i)), entry.slice(head.length));
  });
};

export const decodeEntries = (
  codes: readonly string[],
  head: string,
  words: readonly (string | undefined)[],
): string[] => {
  const known = usable(words);
  return codes.map((code) =>
    code.startsWith(raw)
      ? code.slice(raw.length)
      : head + known.reduce((entry, word, i) => entry.replaceAll(marker(i), word), code),
  );
};
