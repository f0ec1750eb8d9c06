import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { EventEnvelope } from '#adapters/aggregate-store';

/** The outbox envelope carried by a stream record of an outbox item, if it is one. */
export const envelopeOf = (record: DynamoDBRecord): EventEnvelope | undefined => {
  const image = record.dynamodb?.NewImage;
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  return item.itemType === 'outbox' ? (item.envelope as EventEnvelope) : undefined;
};
