import {
  type AttributeValue,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { itemBytes } from '#adapters/item-bytes';
import { ensureTables } from '#local/dynamo';
import { localCredentials, localRegion } from '#local/local-aws';
import { TransactionBilling } from '#local/transaction-billing';
import { kilobytes } from '#local/write-billing';
import type { TableSpec } from '#topology';

const name = `billing-${process.env.VITEST_POOL_ID ?? '1'}`;
const spec: TableSpec = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'byG', partitionKey: 'g', sortKey: 'sk', projection: [] }],
};
const plain: TableSpec = { partitionKey: 'pk', sortKey: 'sk' };
const client = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: localRegion,
  credentials: localCredentials,
});
const billing = new TransactionBilling(client, (table) =>
  table === name ? spec : table === `${name}-plain` ? plain : undefined,
);

beforeAll(() => ensureTables(client, { [name]: spec, [`${name}-plain`]: plain }));
afterAll(() => client.destroy());

const attribute: fc.Arbitrary<AttributeValue> = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme', maxLength: 900 }).map((S) => ({ S })),
    fc
      .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }))
      .map(([n, places]) => ({ N: String(n / 10 ** places) })),
    fc.boolean().map((BOOL) => ({ BOOL })),
    fc.array(tie('value'), { maxLength: 5 }).map((L) => ({ L })),
    fc
      .dictionary(fc.string({ minLength: 1, maxLength: 12 }), tie('value'), { maxKeys: 5 })
      .map((M) => ({ M })),
  ),
})).value;

describe('write units billed as DynamoDB bills them', () => {
  it('sizes an item as DynamoDB does: its units equal those DynamoDB Local reports for a single put', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), attribute, { maxKeys: 8 }),
        async (rest) => {
          const item = { ...rest, pk: { S: `size-${n++}` }, sk: { S: 'A' } };
          const out = await client.send(
            new PutItemCommand({ TableName: `${name}-plain`, Item: item, ReturnConsumedCapacity: 'TOTAL' }),
          );
          expect(kilobytes(itemBytes(item))).toBe(out.ConsumedCapacity?.CapacityUnits);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('bills each action of a transaction on its own, where DynamoDB Local reports less', async () => {
    const put = (sk: string, bytes: number) => ({
      Put: {
        TableName: name,
        Item: { pk: { S: 'tx' }, sk: { S: sk }, g: { S: 'G' }, d: { S: 'x'.repeat(bytes) } },
      },
    });
    const input = { TransactItems: [put('a', 1500), put('b', 1500), put('c', 200)] };
    const plan = await billing.before(input as unknown as Record<string, unknown>);
    const out = await client.send(
      new TransactWriteItemsCommand({ ...input, ReturnConsumedCapacity: 'TOTAL' }),
    );
    const billed = await billing.bill(plan!);
    // Two 1.5 KB items and one small one: 2 x (2 + 2 + 1) on the table, 3 keys-only index entries.
    expect(billed.units).toBe(13);
    expect(billed.actions.map((a) => a.table)).toEqual([4, 4, 2]);
    expect(out.ConsumedCapacity?.[0]?.CapacityUnits).toBeLessThan(billed.units);
  });

  it('bills an update by the larger image and leaves untouched indexes out', async () => {
    const key = { pk: { S: 'tx' }, sk: { S: 'a' } };
    const input = {
      TransactItems: [
        {
          Update: {
            TableName: name,
            Key: key,
            UpdateExpression: 'SET d = :d',
            ExpressionAttributeValues: { ':d': { S: 'y'.repeat(3000) } },
          },
        },
        {
          ConditionCheck: {
            TableName: name,
            Key: { pk: { S: 'tx' }, sk: { S: 'c' } },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ],
    };
    const plan = await billing.before(input as unknown as Record<string, unknown>);
    await client.send(new TransactWriteItemsCommand(input));
    const billed = await billing.bill(plan!);
    expect(billed.actions).toEqual([
      { table: 6, indexes: {} },
      { table: 2, indexes: {} },
    ]);
  });

  it('leaves a transaction on a table it does not know as reported', async () => {
    const input = {
      TransactItems: [{ Put: { TableName: 'elsewhere', Item: { pk: { S: 'x' }, sk: { S: 'y' } } } }],
    };
    expect(await billing.before(input as unknown as Record<string, unknown>)).toBeUndefined();
  });
});
