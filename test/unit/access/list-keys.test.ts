import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  listKeyOf,
  orderIndexKeys,
  planOrderList,
  shardCount,
  shardOf,
  shardSuffixes,
} from '#domain/access/list-keys';
import type { Actor } from '#domain/actor';

const partnerA: Actor = { principalId: 'p', role: 'partner', channelId: 'partner-a' };
const ops: Actor = { principalId: 'o', role: 'ops', channelId: 'ops' };

describe('list keys', () => {
  it('a shard is stable and within range, and ids spread over every shard', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), (id) => {
        const s = shardOf(id);
        expect(s).toBe(shardOf(id));
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan(shardCount);
      }),
    );
    const counts = new Array(shardCount).fill(0);
    for (let i = 0; i < 4000; i++) counts[shardOf(`o-${i}`)]++;
    // Write-sharding only helps if no shard takes much more than its share.
    for (const c of counts) expect(c).toBeGreaterThan((4000 / shardCount) * 0.7);
  });

  it('list keys sort by creation time, ids break ties', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), fc.date({ noInvalidDate: true }), (a, b) => {
        const [ka, kb] = [listKeyOf(a.toISOString(), 'x'), listKeyOf(b.toISOString(), 'x')];
        if (a.getTime() < b.getTime() && a.getFullYear() >= 0 && b.getFullYear() < 10000)
          expect(ka < kb).toBe(true);
      }),
    );
    expect(listKeyOf('2026-01-01T00:00:00.000Z', 'a') < listKeyOf('2026-01-01T00:00:00.000Z', 'b')).toBe(
      true,
    );
  });

  it('an order carries one partition key per access pattern', () => {
    expect(orderIndexKeys({ id: 'o-1', channelId: 'partner-a', state: 'held', accountId: 'acct-9' })).toEqual(
      {
        orderChannel: 'partner-a',
        orderChannelState: 'partner-a#held',
        orderCustomer: 'partner-a:acct-9',
        orderStateShard: `held#${shardSuffixes[shardOf('o-1')]}`,
        orderShard: shardSuffixes[shardOf('o-1')],
      },
    );
  });

  it('a partner is confined to its channel by the key, whatever channel it asks for', () => {
    expect(planOrderList(partnerA, { channelId: 'partner-b' })).toEqual({
      index: 'ordersByChannel',
      partitionAttribute: 'orderChannel',
      partitions: ['partner-a'],
    });
    expect(planOrderList(partnerA, { state: 'held' }).partitions).toEqual(['partner-a#held']);
    expect(planOrderList(partnerA, { accountId: 'acct-1', state: 'held' })).toEqual({
      index: 'ordersByCustomer',
      partitionAttribute: 'orderCustomer',
      partitions: ['partner-a:acct-1'],
      where: { state: 'held' },
    });
    // Whatever id it sends, a partner's partition is its own channel's.
    expect(planOrderList(partnerA, { accountId: 'partner-b:acct-1' }).partitions).toEqual([
      'partner-a:partner-b:acct-1',
    ]);
  });

  it('staff without a channel read the write-sharded partitions', () => {
    expect(planOrderList(ops, {})).toMatchObject({ index: 'ordersByShard', partitions: shardSuffixes });
    expect(planOrderList(ops, { state: 'completed' })).toMatchObject({
      index: 'ordersByStateShard',
      partitions: shardSuffixes.map((s) => `completed#${s}`),
    });
    // Staff name an account by its real id, or by a channel and that channel's id.
    expect(planOrderList(ops, { accountId: 'partner-b:acct-1' })).toEqual({
      index: 'ordersByCustomer',
      partitionAttribute: 'orderCustomer',
      partitions: ['partner-b:acct-1'],
    });
    expect(planOrderList(ops, { accountId: 'acct-1', channelId: 'partner-b' }).partitions).toEqual([
      'partner-b:acct-1',
    ]);
  });
});
