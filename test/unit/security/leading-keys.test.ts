import {
  BatchGetItemCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { enforceLeadingKeys, invocationScope } from '#local/iam-leading-keys';
import type { TableName } from '#topology';

// Nothing listens on port 9: a call the emulated IAM lets through fails on the network instead.
const client = new DynamoDBClient({
  endpoint: 'http://127.0.0.1:9',
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  maxAttempts: 1,
});
const tables: Record<string, TableName> = { agg: 'aggregates', idem: 'idempotency' };
enforceLeadingKeys(client, (physical) => tables[physical]);
const put = (table: string, pk: string) =>
  new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, id: { S: pk } } });
const as = (
  fn: 'quote-price' | 'order-create' | 'catalog-publish',
  command: PutItemCommand | TransactWriteItemsCommand | BatchGetItemCommand,
) => invocationScope.run(fn, () => client.send(command as PutItemCommand));

describe('local IAM: dynamodb:LeadingKeys of the topology on the handlers’ client', () => {
  it('denies a quote command writing a catalog pointer, an order or another function’s idempotency record', async () => {
    await expect(as('quote-price', put('agg', 'CATALOG#current'))).rejects.toThrow(/not authorized/);
    await expect(as('quote-price', put('agg', 'ORDER#po-1'))).rejects.toThrow(/not authorized/);
    await expect(as('quote-price', put('idem', 'quote-create#abc'))).rejects.toThrow(/not authorized/);
  });

  it('lets a function write under its own prefixes', async () => {
    await expect(as('quote-price', put('agg', 'QUOTE#q-1'))).rejects.not.toThrow(/not authorized/);
    await expect(as('quote-price', put('idem', 'quote-price#abc'))).rejects.not.toThrow(/not authorized/);
    await expect(as('catalog-publish', put('agg', 'CATALOG#current'))).rejects.not.toThrow(/not authorized/);
  });

  it('checks every write of a transaction but not its condition checks', async () => {
    const transaction = (checkPk: string, writePk: string) =>
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: 'agg',
              Key: { pk: { S: checkPk } },
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          { Put: { TableName: 'agg', Item: { pk: { S: writePk } } } },
        ],
      });
    await expect(as('order-create', transaction('QUOTE#q-1', 'ORDER#po-1'))).rejects.not.toThrow(
      /not authorized/,
    );
    await expect(as('order-create', transaction('QUOTE#q-1', 'QUOTE#q-1'))).rejects.toThrow(/not authorized/);
  });

  it('does not key-scope reads: a quote command batch-reads its quote with the catalog pointer (grantReadData)', async () => {
    const batch = new BatchGetItemCommand({
      RequestItems: { agg: { Keys: [{ pk: { S: 'QUOTE#q-1' } }, { pk: { S: 'CATALOG#current' } }] } },
    });
    await expect(as('quote-price', batch)).rejects.not.toThrow(/not authorized/);
  });

  it('leaves calls outside a handler invocation alone (the local stack’s own tooling)', async () => {
    await expect(client.send(put('agg', 'CATALOG#current'))).rejects.not.toThrow(/not authorized/);
  });
});
