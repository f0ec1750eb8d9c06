import { describe, expect, it } from 'vitest';
import { kindOf, writeShapes } from '#local/write-shapes';

describe('write shapes: where a write request’s units go', () => {
  it('names an item by the leading words of its keys, ids left out', () => {
    expect(kindOf({ pk: 'ORDER#o-1', sk: 'A' })).toBe('pk=ORDER,sk=A');
    expect(kindOf({ pk: 'OUTBOX#ORDER#o-1', sk: '0000000003#0000000000' })).toBe('pk=OUTBOX,sk=id');
    expect(kindOf({ pk: { S: 'order-tracking#3' }, sk: { S: 'PART#t-1' } })).toBe(
      'pk=order-tracking,sk=PART',
    );
    expect(kindOf({ id: 'order-create#7f3a' })).toBe('id=order-create');
  });

  it('lists every item of a transaction as transactional, with the bytes a put carries', () => {
    const shapes = writeShapes('TransactWriteItemsCommand', {
      TransactItems: [
        { Update: { TableName: 't', Key: { pk: 'ORDER#o-1', sk: 'A' } } },
        { Put: { TableName: 't', Item: { pk: 'OUTBOX#ORDER#o-1', sk: '1#0', envelope: 'x'.repeat(2000) } } },
      ],
    });
    expect(shapes.map((s) => [s.kind, s.transactional])).toEqual([
      ['pk=ORDER,sk=A', true],
      ['pk=OUTBOX,sk=id', true],
    ]);
    expect(shapes[0]?.bytes).toBe(0);
    expect(shapes[1]?.bytes).toBeGreaterThan(2000);
  });

  it('counts a binary value (a packed document) as the request carries it, base64', () => {
    const put = (packedData: Uint8Array) =>
      writeShapes('PutItemCommand', {
        TableName: 't',
        Item: { pk: { S: 'ORDER#o-1' }, packedData: { B: packedData } },
      })[0]!.bytes;
    expect(put(Buffer.alloc(3000)) - put(Buffer.alloc(0))).toBe(4000);
    expect(put(new Uint8Array(3000)) - put(new Uint8Array(0))).toBe(4000);
  });

  it('lists a batch’s puts and deletes by table, and a single write as one item', () => {
    const batch = writeShapes('BatchWriteItemCommand', {
      RequestItems: {
        a: [{ PutRequest: { Item: { pk: 'X#1', sk: 'Y' } } }, { DeleteRequest: { Key: { pk: 'Z#2' } } }],
      },
    });
    expect(batch.map((s) => `${s.table} ${s.kind}`)).toEqual(['a pk=X,sk=Y', 'a pk=Z']);
    expect(writeShapes('PutItemCommand', { TableName: 'b', Item: { pk: 'P', sk: 'Q' } })).toEqual([
      { table: 'b', kind: 'pk=P,sk=Q', bytes: expect.any(Number), transactional: false },
    ]);
  });
});
