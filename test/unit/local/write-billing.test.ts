import { describe, expect, it } from 'vitest';
import { itemBytes, valueBytes } from '#adapters/item-bytes';
import { kilobytes, transactActionUnits } from '#local/write-billing';
import type { TableSpec } from '#topology';

const s = (n: number, c = 'x') => ({ S: c.repeat(n) });
const table: TableSpec = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    { indexName: 'keysOnly', partitionKey: 'g', sortKey: 'listKey', projection: [] },
    { indexName: 'withData', partitionKey: 'g', sortKey: 'listKey', projection: ['data'] },
  ],
};
const order = (data: number, g?: string) => ({
  pk: { S: 'ORDER#1' },
  sk: { S: 'A' },
  listKey: { S: '2026-12-07#1' },
  data: s(data),
  ...(g ? { g: { S: g } } : {}),
});

describe('item sizes as DynamoDB counts them', () => {
  it('counts attribute names and UTF-8 bytes of strings', () => {
    expect(itemBytes({ ab: { S: 'héllo' } })).toBe(2 + 6);
  });

  it('counts a number by its significant digits, booleans and nulls as one byte', () => {
    expect(valueBytes({ N: '12345' })).toBe(4);
    expect(valueBytes({ N: '0.001' })).toBe(2);
    expect(valueBytes({ BOOL: true })).toBe(1);
    expect(valueBytes({ NULL: true })).toBe(1);
  });

  it('gives lists and maps 3 bytes and each element one more', () => {
    expect(valueBytes({ L: [] })).toBe(3);
    expect(valueBytes({ L: [{ S: 'ab' }, { S: 'c' }] })).toBe(3 + 1 + 2 + 1 + 1);
    expect(valueBytes({ M: { k: { S: 'v' } } })).toBe(3 + 1 + 1 + 1);
  });

  it('bills started kilobytes, at least one', () => {
    expect([0, 1, 1024, 1025, 4096].map(kilobytes)).toEqual([1, 1, 1, 2, 4]);
  });
});

describe('a transaction billed as DynamoDB bills it', () => {
  it('charges two units per started KB of the item, and a new item once on every index it enters', () => {
    const units = transactActionUnits('Put', undefined, order(1500, 'G'), table);
    expect(units).toEqual({ table: 4, indexes: { keysOnly: 1, withData: 2 } });
  });

  it('charges the larger image of an update, and the index only where a projected attribute changed', () => {
    const units = transactActionUnits('Update', order(3500, 'G'), order(100, 'G'), table);
    expect(units).toEqual({ table: 8, indexes: { withData: 4 } });
  });

  it('charges a delete and a put on an index whose key moved', () => {
    const units = transactActionUnits('Update', order(1500, 'G'), order(1500, 'H'), table);
    expect(units.indexes).toEqual({ keysOnly: 2, withData: 4 });
  });

  it('charges an item leaving an index a delete there, and nothing on indexes it never was in', () => {
    expect(transactActionUnits('Update', order(10, 'G'), order(10), table).indexes).toEqual({
      keysOnly: 1,
      withData: 1,
    });
    expect(transactActionUnits('Put', undefined, order(10), table).indexes).toEqual({});
  });

  it('charges a delete and a condition check by the item as it was', () => {
    expect(transactActionUnits('Delete', order(2500, 'G'), undefined, table)).toEqual({
      table: 6,
      indexes: { keysOnly: 1, withData: 3 },
    });
    expect(transactActionUnits('ConditionCheck', order(2500, 'G'), order(2500, 'G'), table)).toEqual({
      table: 6,
      indexes: {},
    });
  });
});
