import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { EventEnvelope } from '#adapters/aggregate-store';
import { publishEnvelopes } from '#adapters/event-publisher';
import { type OnFailureRecord, readStreamRange } from '#adapters/stream-range';
import { envelopeOf } from '#adapters/stream-records';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

const processor = new BatchProcessor(EventType.SQS);

/**
 * One parked batch: its outbox records are read again from the stream and published again.
 * Events that went out before the batch was parked go out twice; every consumer deduplicates
 * by eventId (the fulfillment starter by execution name), so nothing is applied twice. A batch
 * that still cannot be delivered stays on the queue and comes back after the visibility timeout.
 */
const redrive = async (message: SQSRecord): Promise<void> => {
  const { DDBStreamBatchInfo: info } = JSON.parse(message.body) as OnFailureRecord;
  if (!info?.streamArn || !info.shardId) {
    logger.error('parked message without stream batch info', { messageId: message.messageId });
    return;
  }
  const envelopes = (await readStreamRange(info))
    .filter((r) => r.eventName === 'INSERT')
    .map(envelopeOf)
    .filter((e): e is EventEnvelope => e !== undefined);
  const { failed } = await publishEnvelopes(envelopes);
  if (failed.size > 0) {
    emit('EventsPublishFailed', failed.size);
    throw new Error(`${failed.size} of ${envelopes.length} parked events still not delivered`);
  }
  logger.info('parked batch redriven', { events: envelopes.length, shardId: info.shardId });
};

export const handler = withObservability((event: SQSEvent, context) =>
  processPartialResponse(event, redrive, processor, { context }),
);
