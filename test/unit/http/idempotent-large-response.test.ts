import { describe, expect, it } from 'vitest';
import { replayedFormOf, storedFormOf } from '#plumbing/http/idempotency';
import { json } from '#plumbing/http/responses';

/**
 * The first response of an idempotent command is kept in one DynamoDB item (400 KB): a priced
 * 500-line quote answers ≈ 600 KB of JSON, so a large body is kept gzipped and replayed as sent.
 */
describe('idempotency record of a large response', () => {
  const priceLines = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      lineId: String(i + 1),
      offeringId: 'off-fiber-1g',
      trace: [`LIST_PRICE off-fiber-1g x 1: monthly 90000`, `DISCOUNT 0% of monthly 90000 = 0 (half-up)`],
    }));

  it('a small response is stored as it is', () => {
    const small = json(200, { id: 'q-1', lines: priceLines(3) });
    expect(storedFormOf(small)).toBe(small);
    expect(replayedFormOf(storedFormOf(small))).toEqual(small);
  });

  it('an order-sized response (2 KB) is stored in under a KB, so its record is one write unit', () => {
    const order = json(201, { id: 'po-1', lines: priceLines(15) });
    expect(Buffer.byteLength(order.body, 'utf8')).toBeGreaterThan(2 * 1024);
    const stored = storedFormOf(order);
    expect(JSON.stringify(stored).length).toBeLessThan(1024);
    expect(replayedFormOf(stored)).toEqual(order);
  });

  it('a response over 400 KB is stored far below the item limit and replayed byte for byte', () => {
    const large = json(200, { id: 'q-1', lines: priceLines(4000) }, { ETag: '"3"' });
    expect(Buffer.byteLength(large.body, 'utf8')).toBeGreaterThan(400 * 1024);
    const stored = storedFormOf(large);
    expect(JSON.stringify(stored).length).toBeLessThan(64 * 1024);
    expect(replayedFormOf(stored)).toEqual(large);
  });
});
