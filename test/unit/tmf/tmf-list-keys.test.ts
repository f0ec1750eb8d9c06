import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shardSuffixes } from '#domain/access/list-keys';
import {
  cancellationIndexKeys,
  planCancellationList,
  planQuoteList,
  quoteIndexKeys,
} from '#domain/access/tmf-list-keys';

const partner = { principalId: 'p', role: 'partner' as const, channelId: 'partner-a' };
const ops = { principalId: 'o', role: 'ops' as const, channelId: 'ops-console' };

describe('quote list keys', () => {
  it('a partner is confined to its channel by the key, whatever channel it names', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (named) => {
        expect(planQuoteList(partner, { channelId: named }).partitions).toEqual(['partner-a']);
        expect(planQuoteList(partner, { channelId: named, state: 'pending' }).partitions).toEqual([
          'partner-a#pending',
        ]);
      }),
    );
  });

  it('staff list a named channel, or every channel over the shards', () => {
    expect(planQuoteList(ops, { channelId: 'partner-b' }).index).toBe('quotesByChannel');
    expect(planQuoteList(ops, { state: 'approved' }).partitions).toEqual(
      shardSuffixes.map((s) => `approved#${s}`),
    );
    expect(planQuoteList(ops, {}).index).toBe('byTypeShard');
    expect(quoteIndexKeys({ id: 'q-1', channelId: 'c', state: 'pending' })).toMatchObject({
      quoteChannel: 'c',
      quoteChannelState: 'c#pending',
    });
  });
});

describe('cancellation list keys', () => {
  it('only an order with a cancellation is indexed, sorted by requested date then id', () => {
    expect(cancellationIndexKeys({ id: 'po-1', channelId: 'c' })).toEqual({});
    const keys = cancellationIndexKeys({
      id: 'po-1',
      channelId: 'c',
      cancellation: {
        id: 'cpo-1',
        orderId: 'po-1',
        channelId: 'c',
        cancellationReason: 'r',
        state: 'acknowledged',
        requestedCancellationDate: '2026-11-24T10:00:00.000Z',
        requestedBy: 'u',
      },
    });
    expect(keys).toMatchObject({ cancelChannel: 'c', cancelListKey: '2026-11-24T10:00:00.000Z#cpo-1' });
    expect(planCancellationList(partner, { channelId: 'partner-b' }).partitions).toEqual(['partner-a']);
    expect(planCancellationList(ops, {}).index).toBe('cancellationsByShard');
  });
});
