import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { EventEnvelope } from '#adapters/aggregate-store';
import { outboxEnvelope } from './outbox-item.ts';

/** The key of the outbox item (aggregates table) that holds an event's whole envelope. */
export type OutboxKey = { pk: string; sk: string };
export type OutboxEvent = { envelope: EventEnvelope; key: OutboxKey };

/**
 * Lambda's stream event is JSON: a binary attribute (a packed envelope) arrives base64-encoded,
 * where the Streams API (a parked batch read again) gives bytes.
 */
const withBytes = (image: Record<string, AttributeValue>): Record<string, AttributeValue> =>
  Object.fromEntries(
    Object.entries(image).map(([name, value]) => {
      const bytes: unknown = value.B;
      return [name, typeof bytes === 'string' ? { B: Buffer.from(bytes, 'base64') } : value];
    }),
  );

/** The outbox event carried by a stream record of an outbox item, with the item's key, if it is one. */
export const outboxEventOf = (record: DynamoDBRecord): OutboxEvent | undefined => {
  const image = record.dynamodb?.NewImage;
  if (!image) return undefined;
  const item = unmarshall(withBytes(image as Record<string, AttributeValue>));
  if (item.itemType !== 'outbox') return undefined;
  const envelope = outboxEnvelope<EventEnvelope>(item);
  return envelope && { envelope, key: { pk: item.pk as string, sk: item.sk as string } };
};

/** The outbox envelope carried by a stream record of an outbox item, if it is one. */
export const envelopeOf = (record: DynamoDBRecord): EventEnvelope | undefined =>
  outboxEventOf(record)?.envelope;
