import { IdempotencyInconsistentStateError } from '@aws-lambda-powertools/idempotency';
import {
  DynamoDBServiceException,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactionConflictException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { saveAggregate, VersionConflict } from '#adapters/aggregate-store';
import { dynamoClient } from '#plumbing/clients';
import { mapThrown } from '#plumbing/http/error-mapping';
import { DependencyUnavailable } from '#plumbing/http/http-error';

/** The SDK's own exception classes with the metadata DynamoDB answers with. */
const meta = { $metadata: { httpStatusCode: 400 }, message: 'refused' };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ ...meta, CancellationReasons: codes.map((Code) => ({ Code })) });
const connectionReset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

describe('error mapping: what DynamoDB refuses under load is a 503, never a 500', () => {
  it.each([
    ['a transaction cancelled because an item was throttled', cancelled('None', 'ThrottlingError', 'None')],
    ['a transaction cancelled by a conflicting transaction', cancelled('None', 'TransactionConflict')],
    [
      'a transaction still in progress (SDK retry of the same request token)',
      new TransactionInProgressException(meta),
    ],
    ['a write conflicting with an ongoing transaction', new TransactionConflictException(meta)],
    ['throughput still exceeded after the SDK retries', new ProvisionedThroughputExceededException(meta)],
    ['a connection reset', connectionReset()],
  ])('%s: 503 SERVICE_UNAVAILABLE with Retry-After', async (_, error) => {
    const r = await mapThrown(error, 'c-1', 'order-create');
    expect(r.statusCode).toBe(503);
    expect(JSON.parse(r.body).code).toBe('SERVICE_UNAVAILABLE');
    expect(r.headers?.['Retry-After']).toBe('2');
  });

  it.each([
    ['a transaction cancelled by a malformed item', cancelled('None', 'ValidationError')],
    [
      'a key outside the function’s IAM scope',
      new DynamoDBServiceException({ ...meta, name: 'AccessDeniedException', $fault: 'client' }),
    ],
    ['a plain programming error', new TypeError('x is undefined')],
  ])('%s stays a 500: a defect, logged', async (_, error) => {
    expect((await mapThrown(error, 'c-1', 'order-create')).statusCode).toBe(500);
  });
});

describe('error mapping: idempotency records caught changing state', () => {
  it('an in-progress record that expired while being read is 409 IN_PROGRESS with Retry-After, not a 500', async () => {
    const r = await mapThrown(
      new IdempotencyInconsistentStateError('expired during processing'),
      'c-1',
      'order-create',
    );
    expect(r.statusCode).toBe(409);
    expect(JSON.parse(r.body).code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
    expect(r.headers?.['Retry-After']).toBe('1');
  });
});

describe('aggregate store: a throttled transaction is a dependency outage', () => {
  let next: Error | undefined;
  beforeAll(() => {
    process.env.AGGREGATES_TABLE ??= 'unit-aggregates';
    process.env.AWS_REGION ??= 'us-east-1';
    // Answers before any request leaves, inside the SDK client, with DynamoDB's own exception.
    dynamoClient().middlewareStack.add(
      () => async () => {
        throw next;
      },
      { step: 'initialize', name: 'unitDynamoAnswer' },
    );
  });
  afterEach(() => {
    next = undefined;
  });
  const save = () =>
    saveAggregate({
      kind: 'ORDER',
      id: 'po-1',
      expectedVersion: 0,
      aggregate: { id: 'po-1' },
      events: [],
      correlationId: 'c-1',
      now: '2026-01-01T00:00:00.000Z',
      extraItems: [{ item: { pk: 'CONVERSION#q-1', sk: 'A' }, mustNotExist: true }],
    }).catch((e: unknown) => e);

  it('ThrottlingError on an item cancels the transaction: DependencyUnavailable (503), not a raw SDK error', async () => {
    next = cancelled('None', 'ThrottlingError');
    expect(await save()).toBeInstanceOf(DependencyUnavailable);
  });

  it('a conflicting transaction is still a version conflict (the caller re-reads and retries)', async () => {
    next = cancelled('None', 'TransactionConflict');
    expect(await save()).toBeInstanceOf(VersionConflict);
  });

  it('a request token still in progress is a dependency outage', async () => {
    next = new TransactionInProgressException(meta);
    expect(await save()).toBeInstanceOf(DependencyUnavailable);
  });
});
