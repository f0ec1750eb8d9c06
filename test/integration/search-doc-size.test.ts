import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
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
  it('an order’s search document keeps the entries it wrote in fewer write units than spelled out', async () => {
    const orderId = await saveOldHeldOrder(`acct-${randomUUID()}`);
    await project('ORDER', orderId);
    const { Item: item } = await documentClient().send(
      new GetCommand({ TableName: env.table('search'), Key: { pk: `DOC#order#${orderId}`, sk: 'DOC' } }),
    );
    const stored = await loadDoc('order', orderId, 1);
    expect(stored?.doc).toMatchObject({ orderId, state: 'held' });
    const spelledOut = entriesOf('order', stored!.doc!).map((e) => `${e.pk}\u0000${e.sk}`);
    const { entryCodes: _codes, ...rest } = item!;
    expect(await writeUnitsOf(item!)).toBeLessThan(await writeUnitsOf({ ...rest, entries: spelledOut }));
  });
});
