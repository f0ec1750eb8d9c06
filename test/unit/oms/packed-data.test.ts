import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pack, packedName, packedWhenLarge, unpacked } from '#adapters/packed-data';

describe('documents stored compressed in the aggregates table', () => {
  it('reads back exactly the document it packed', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const item = { pk: 'ORDER#o-1', [packedName('data')]: pack(value) };
        expect(unpacked(item)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('reads a document written before packing, kept plain', () => {
    const order = { id: 'o-1', tasks: [{ id: 't-1' }] };
    expect(unpacked({ pk: 'ORDER#o-1', data: order })).toEqual(order);
    expect(unpacked({ pk: 'ORDER#o-1', entries: [1, 2] }, 'entries')).toEqual([1, 2]);
  });

  it('keeps an order document well under half its JSON size', () => {
    const task = (i: number) => ({
      id: `1-TASK_${i}`,
      correlationId: `ful-${'0123456789abcdef'.repeat(2)}`,
      state: 'DONE',
      dispatchedAt: '2026-12-07T05:21:37.547Z',
      completedAt: '2026-12-07T05:21:38.547Z',
      evidence: { source: 'response', status: 'COMPLETED', downstreamRef: `prov-${i}` },
    });
    const order = { id: 'po-1', state: 'completed', tasks: [1, 2, 3].map(task) };
    expect(pack(order).byteLength).toBeLessThan(JSON.stringify(order).length / 2);
  });

  it("packs an item's attribute under its own name only when the item is over the KB billed at least", () => {
    const row = (note: string) => ({ pk: 'order-tracking#v1#o-1', sk: 'ROW', data: { id: 'o-1', note } });
    const small = row('x'.repeat(100));
    expect(packedWhenLarge(small)).toBe(small);
    const large = row('x'.repeat(1200));
    const stored = packedWhenLarge(large);
    expect(stored.data).toBeInstanceOf(Uint8Array);
    expect({ ...stored, data: unpacked(stored) }).toEqual(large);
  });

  it('sizes the item as DynamoDB does, not by its JSON', () => {
    const counts = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`k${i}`, i]));
    const item = { pk: 'account-timeline#v1#a-1', sk: '1', data: counts };
    expect(JSON.stringify(item).length).toBeGreaterThan(1024);
    expect(packedWhenLarge(item)).toBe(item);
  });
});
