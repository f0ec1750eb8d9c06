import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pack, packedName, unpacked } from '#adapters/packed-data';

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
});
