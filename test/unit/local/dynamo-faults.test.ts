import { BatchGetItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { injectTableFaults } from '#local/dynamo-faults';
import { LocalFaults, tableFaultSchema } from '#local/faults';

/** A client whose endpoint nobody listens on: an injected fault answers before any request leaves. */
const clientWith = (faults: LocalFaults) => {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 3,
  });
  injectTableFaults(client, faults, (physical) =>
    physical === 'phys-aggregates' ? 'aggregates' : undefined,
  );
  return client;
};

describe('DynamoDB fault injection inside the SDK client', () => {
  it('an injected throttle is retried by the SDK like a real one, then surfaces as the real exception', async () => {
    const faults = new LocalFaults();
    faults.setTable(
      'aggregates',
      tableFaultSchema.parse({
        error: 'ProvisionedThroughputExceededException',
        operations: ['read'],
        count: 5,
      }),
    );
    const error = await clientWith(faults)
      .send(
        new GetItemCommand({ TableName: 'phys-aggregates', Key: { pk: { S: 'QUOTE#q-1' }, sk: { S: 'A' } } }),
      )
      .then(
        () => undefined,
        (e: Error & { $metadata?: { attempts?: number } }) => e,
      );
    expect(error?.name).toBe('ProvisionedThroughputExceededException');
    // Three attempts (the client's maxAttempts), each consumed one injection.
    expect(error?.$metadata?.attempts).toBe(3);
    expect(faults.tables.get('aggregates')?.remaining).toBe(2);
  });

  it('a fault limited to a key prefix leaves other items alone', async () => {
    const faults = new LocalFaults();
    faults.setCatalog({ error: 'InternalServerError' });
    const error = await clientWith(faults)
      .send(
        new GetItemCommand({ TableName: 'phys-aggregates', Key: { pk: { S: 'QUOTE#q-1' }, sk: { S: 'A' } } }),
      )
      .then(
        () => undefined,
        (e: Error) => e,
      );
    // Not injected: the request really went out and found nobody listening.
    expect(error?.name).not.toBe('InternalServerError');
    const injected = await clientWith(faults)
      .send(
        new GetItemCommand({
          TableName: 'phys-aggregates',
          Key: { pk: { S: 'CATALOG#current' }, sk: { S: 'A' } },
        }),
      )
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(injected?.name).toBe('InternalServerError');
  });

  const quoteKey = { pk: { S: 'QUOTE#q-1' }, sk: { S: 'A' } };
  const catalogKey = { pk: { S: 'CATALOG#current' }, sk: { S: 'A' } };
  const batch = (...keys: (typeof quoteKey)[]) =>
    new BatchGetItemCommand({ RequestItems: { 'phys-aggregates': { Keys: keys, ConsistentRead: true } } });

  /** DynamoDB's answer to whatever keys the request still holds when it is sent: every item found. */
  const answeringClient = (faults: LocalFaults, sent: unknown[]) => {
    const client = clientWith(faults);
    client.middlewareStack.add(
      () => async (args) => {
        const input = args.input as { RequestItems: Record<string, { Keys: (typeof quoteKey)[] }> };
        sent.push(input.RequestItems);
        const responses = Object.fromEntries(
          Object.entries(input.RequestItems).map(([table, r]) => [table, r.Keys.map((k) => ({ ...k }))]),
        );
        return { output: { Responses: responses, $metadata: {} } as never, response: {} };
      },
      { step: 'serialize', priority: 'high', name: 'unitDynamoAnswer' },
    );
    return client;
  };

  it('a catalog fault in a BatchGetItem that also reads a quote: the quote is read, the catalog key comes back unprocessed', async () => {
    const faults = new LocalFaults();
    faults.setCatalog({ error: 'ProvisionedThroughputExceededException', count: 2 });
    const sent: unknown[] = [];
    const out = await answeringClient(faults, sent).send(batch(quoteKey, catalogKey));
    // The call succeeds (the SDK has nothing to retry); only the quote's key went out.
    expect(sent).toEqual([{ 'phys-aggregates': { Keys: [quoteKey], ConsistentRead: true } }]);
    expect(out.Responses?.['phys-aggregates']).toEqual([quoteKey]);
    expect(out.UnprocessedKeys).toEqual({ 'phys-aggregates': { Keys: [catalogKey], ConsistentRead: true } });
    expect(faults.tables.get('aggregates')?.remaining).toBe(1);

    // Once the fault's count is spent the same batch is served whole.
    await answeringClient(faults, sent).send(batch(quoteKey, catalogKey));
    const spent = await answeringClient(faults, sent).send(batch(quoteKey, catalogKey));
    expect(spent.Responses?.['phys-aggregates']).toEqual([quoteKey, catalogKey]);
    expect(spent.UnprocessedKeys ?? {}).toEqual({});
  });

  it('a batch whose every key is faulted fails as a whole, retried by the SDK like a GetItem', async () => {
    const faults = new LocalFaults();
    faults.setCatalog({ error: 'ProvisionedThroughputExceededException' });
    const error = await clientWith(faults)
      .send(batch(catalogKey))
      .then(
        () => undefined,
        (e: Error & { $metadata?: { attempts?: number } }) => e,
      );
    expect(error?.name).toBe('ProvisionedThroughputExceededException');
    expect(error?.$metadata?.attempts).toBe(3);
  });

  it('a batch without a faulted key is left alone', async () => {
    const faults = new LocalFaults();
    faults.setCatalog({ error: 'TimeoutError' });
    const sent: unknown[] = [];
    const out = await answeringClient(faults, sent).send(batch(quoteKey));
    expect(out.Responses?.['phys-aggregates']).toEqual([quoteKey]);
    expect(out.UnprocessedKeys).toBeUndefined();
  });
});
