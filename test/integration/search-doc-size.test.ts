import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { itemBytes } from '#adapters/item-bytes';
import { loadDoc } from '#adapters/search-store';
import { entriesOf } from '#domain/search/search-index';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { project, saveOldHeldOrder } from './old-aggregates.ts';

/** Write units a put of this item costs, measured on DynamoDB Local under a key of its own. */
const writeUnitsOf = async (item: Record<string, unknown>) => {
  const res = await documentClient().send(
    new PutCommand({
      TableName: env.table('search'),
      Item: { ...item, pk: `SIZE#${randomUUID()}` },
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  return res.ConsumedCapacity?.CapacityUnits ?? 0;
};

describe('search document size (issue 20: the cost of one item)', () => {
  it('an order’s search document keeps the entries it wrote, compressed with the document, in one write unit', async () => {
    const orderId = await saveOldHeldOrder(`acct-${randomUUID()}`);
    await project('ORDER', orderId);
    const { Item: item } = await documentClient().send(
      new GetCommand({ TableName: env.table('search'), Key: { pk: `DOC#order#${orderId}`, sk: 'DOC' } }),
    );
    const stored = await loadDoc('order', orderId, 1);
    expect(stored?.doc).toMatchObject({ orderId, state: 'held' });
    const spelledOut = entriesOf('order', stored!.doc!, 2).map((e) => `${e.pk}\u0000${e.sk}`);
    const { entryCodes: _codes, ...rest } = item!;
    const plain = { ...rest, doc: stored!.doc, entryCodes: stored!.entryCodes };
    const bytes = (i: Record<string, unknown>) => itemBytes(marshall(i, { removeUndefinedValues: true }));
    expect(await writeUnitsOf(item!)).toBe(1);
    expect(bytes(item!)).toBeLessThan(bytes(plain));
    expect(await writeUnitsOf(plain)).toBeLessThan(await writeUnitsOf({ ...plain, entries: spelledOut }));
  });
});
