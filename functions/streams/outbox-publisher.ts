import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { publishEnvelopes } from '#adapters/event-publisher';
import { type OutboxEvent, outboxEventOf } from '#adapters/stream-records';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * Outbox items → EventBridge. Entries are sent in requests within PutEvents' limits (count and
 * size) and only failed entries are sent again; what still fails is reported as batch item failures, so the stream retries from there
 * (re-sending later records too: consumers deduplicate by eventId) and finally dead-letters.
 */
const publish = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const items = event.Records.map((record) => ({ record, outbox: outboxEventOf(record) })).filter(
    (x): x is { record: (typeof event.Records)[number]; outbox: OutboxEvent } => x.outbox !== undefined,
  );
  const { failed, retried } = await publishEnvelopes(items.map((x) => x.outbox));
  const delivered = items.length - failed.size;
  if (failed.size === 0) return { batchItemFailures: [] };
  emit('EventsPublishFailed', failed.size);
  logger.warn('events not delivered; stream will retry', { failed: failed.size, delivered, retried });
  return {
    batchItemFailures: items
      .filter((x) => failed.has(x.outbox.envelope.eventId))
      .map((x) => ({ itemIdentifier: x.record.dynamodb?.SequenceNumber ?? '' })),
  };
};

export const handler = withObservability(publish);
