import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntries, encodeEntries } from '#domain/search/entry-codes';

const head = 'v2#IDX#order#';
const id = 'po-153192ee-7581-4776-ae15-6e29ae8c1782';
const date = '2026-12-07T03:33:17.336Z';

describe('search entry codes: what a document keeps of the entries it wrote', () => {
  it('gives back every entry exactly, whatever the entries and the repeated words', () => {
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 20 }),
        text,
        fc.array(text, { maxLength: 20 }),
        (tails, h, words) => {
          const entries = tails.map((t, i) => (i % 2 ? `${h}${t}` : t));
          expect(decodeEntries(encodeEntries(entries, h, words), h, words)).toEqual(entries);
        },
      ),
    );
  });

  it('keeps an order’s 16 entries under a quarter of their spelled-out size', () => {
    const entries = Array.from(
      { length: 16 },
      (_, i) => `${head}field${i}#all#${i % 2 ? id : 'acct-1'}\u0000${date}#${id}`,
    );
    const coded = encodeEntries(entries, head, [id, date]);
    const bytes = (list: string[]) => Buffer.byteLength(list.join(''), 'utf8');
    expect(bytes(coded) * 4).toBeLessThan(bytes(entries));
    expect(decodeEntries(coded, head, [id, date])).toEqual(entries);
  });
});
