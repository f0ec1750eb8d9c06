import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '#adapters/aggregate-store';
import { toEntry } from '#adapters/event-publisher';
import { itemBytes } from '#adapters/item-bytes';
import { outboxEnvelope, packedEnvelope } from '#adapters/outbox-item';
import { outboxEventOf } from '#adapters/stream-records';
import { matchesPattern } from '#local/event-pattern';
import { imageAsLambda } from '#local/stream-images';
import { resourceEnv, streamConsumers } from '#topology';

const dispatched = (resource: Record<string, unknown>): EventEnvelope => ({
  eventId: 'e-1',
  eventTime: '2026-12-07T05:21:37.547Z',
  eventType: 'ProductOrderStateChangeEvent',
  domain: 'productOrder',
  correlationId: 'c-1',
  aggregateType: 'ORDER',
  aggregateId: 'po-1',
  aggregateVersion: 4,
  resource,
});

const keys = {
  pk: 'OUTBOX#ORDER#po-1',
  sk: '0000000004#0000000000',
  itemType: 'outbox',
  typeShard: 'outbox#03',
  listKey: '2026-12-07T05:21:37.547Z#ORDER#po-1#0000000004#0000000000',
  createdAt: '2026-12-07T05:21:37.547Z',
  expiresAt: 1_765_000_000,
};

/** The stream record of an item's insert, as Lambda puts it in the event (JSON: bytes as base64). */
const lambdaRecord = (item: Record<string, unknown>): DynamoDBRecord =>
  JSON.parse(
    JSON.stringify({
      eventName: 'INSERT',
      dynamodb: { NewImage: imageAsLambda(marshall(item) as never), SequenceNumber: '1' },
    }),
  );

/** The same record as the Streams API gives it (a parked batch read again): bytes as bytes. */
const streamsApiRecord = (item: Record<string, unknown>): DynamoDBRecord =>
  ({ eventName: 'INSERT', dynamodb: { NewImage: marshall(item), SequenceNumber: '1' } }) as never;

beforeAll(() => {
  process.env[resourceEnv.eventBus] = 'domain-bus';
});

describe('outbox items keep their event compressed', () => {
  it('the bus gets exactly the detail the event had, from a record as Lambda or the Streams API gives it', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (resource) => {
        const envelope = JSON.parse(JSON.stringify(dispatched(resource))) as EventEnvelope;
        const item = { ...keys, ...packedEnvelope(envelope) };
        for (const record of [lambdaRecord(item), streamsApiRecord(item)]) {
          const read = outboxEventOf(record);
          expect(read?.key).toEqual({ pk: keys.pk, sk: keys.sk });
          expect(toEntry(read!.envelope).Detail).toBe(JSON.stringify(envelope));
        }
      }),
      { numRuns: 50 },
    );
  });

  it('reads an event written before, kept plain', () => {
    const envelope = dispatched({ id: 'po-1', state: 'inProgress' });
    const item = { ...keys, envelope };
    expect(outboxEnvelope(item)).toEqual(envelope);
    expect(outboxEventOf(lambdaRecord(item))?.envelope).toEqual(envelope);
  });

  it('keeps a one-item dispatch event under 1 KB with its keys', () => {
    const task = (i: number) => ({
      id: `1-TASK_${i}`,
      state: 'DISPATCHED',
      correlationId: `ful-${'0123456789abcdef'.repeat(2)}`,
      dispatchedAt: '2026-12-07T05:21:37.547Z',
    });
    const envelope = dispatched({
      id: 'po-1',
      state: 'inProgress',
      channelId: 'sales-portal',
      accountId: 'acct-1',
      productOrderItem: [{ id: '1', action: 'add', product: { productSpecification: { id: 'fiber-1g' } } }],
      tasks: [1, 2, 3, 4].map(task),
      pad: 'a description of the order '.repeat(12),
    });
    expect(itemBytes(marshall({ ...keys, envelope }) as never)).toBeGreaterThan(1024);
    expect(itemBytes(marshall({ ...keys, ...packedEnvelope(envelope) }) as never)).toBeLessThanOrEqual(1024);
  });

  it('still passes the stream consumers’ filter, which looks only at the item type', () => {
    const item = { ...keys, ...packedEnvelope(dispatched({ id: 'po-1' })) };
    for (const consumer of streamConsumers) {
      expect(matchesPattern(lambdaRecord(item), consumer.filter)).toBe(true);
      expect(matchesPattern(lambdaRecord({ ...item, itemType: 'order' }), consumer.filter)).toBe(false);
    }
  });
});
