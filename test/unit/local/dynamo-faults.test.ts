import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
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
});
