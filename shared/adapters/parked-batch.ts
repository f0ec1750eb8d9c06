import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '#plumbing/observability';
import { type OnFailureRecord, readStreamRange } from './stream-range.ts';
import { type OutboxEvent, outboxEventOf } from './stream-records.ts';

/**
 * The outbox events of a stream batch a consumer parked on its on-failure queue: the message
 * says only where the batch is (`DDBStreamBatchInfo`), so its records are read again from the
 * stream. Undefined for a message that does not say where (nothing to redrive).
 */
const parkedEvents = async (message: SQSRecord): Promise<OutboxEvent[] | undefined> => {
  const { DDBStreamBatchInfo: info } = JSON.parse(message.body) as OnFailureRecord;
  if (!info?.streamArn || !info.shardId) return undefined;
  return (await readStreamRange(info))
    .filter((r) => r.eventName === 'INSERT')
    .map(outboxEventOf)
    .filter((e): e is OutboxEvent => e !== undefined);
};

/**
 * The SQS handler of an on-failure queue: each parked batch's events are handed to `apply`, the
 * consumer's own work. A batch `apply` throws for stays on the queue (partial batch response)
 * and comes back after the visibility timeout.
 */
export const redriveParkedBatches = (apply: (events: OutboxEvent[]) => Promise<void>) => {
  const processor = new BatchProcessor(EventType.SQS);
  const redrive = async (message: SQSRecord): Promise<void> => {
    const events = await parkedEvents(message);
    if (!events) {
      logger.error('parked message without stream batch info', { messageId: message.messageId });
      return;
    }
    await apply(events);
    logger.info('parked batch redriven', { events: events.length });
  };
  return (event: SQSEvent, context: Context) =>
    processPartialResponse(event, redrive, processor, { context });
};
