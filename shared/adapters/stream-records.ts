import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { EventEnvelope } from '#adapters/aggregate-store';

/** The key of the outbox item (aggregates table) that holds an event's whole envelope. */
export type OutboxKey = { pk: string; sk: string };
export type OutboxEvent = { envelope: EventEnvelope; key: OutboxKey };

/** The outbox event carried by a stream record of an outbox item, with the item's key, if it is one. */
export const outboxEventOf = (record: DynamoDBRecord): OutboxEvent | undefined => {
  const image = record.dynamodb?.NewImage;
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.itemType !== 'outbox') return undefined;
  return { envelope: item.envelope as EventEnvelope, key: { pk: item.pk as string, sk: item.sk as string } };
};

/** The outbox envelope carried by a stream record of an outbox item, if it is one. */
export const envelopeOf = (record: DynamoDBRecord): EventEnvelope | undefined =>
  outboxEventOf(record)?.envelope;
