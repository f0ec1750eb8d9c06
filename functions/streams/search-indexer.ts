import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { indexEvent } from '#adapters/search-store';
import { envelopeOf } from '#adapters/stream-records';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * Outbox items → search documents and their index entries. Reducers are idempotent and
 * order-free; a failed record is a batch item failure the stream retries, then dead-letters.
 */
const index = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const handleRecord = async (record: DynamoDBRecord) => {
    const envelope = envelopeOf(record);
    if (envelope) await indexEvent(envelope, new Date().toISOString());
  };
  const response = await processPartialResponse(event, handleRecord, processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });
  if (response.batchItemFailures.length > 0) {
    logger.warn('search indexing failed for some records; stream will retry', {
      failed: response.batchItemFailures.length,
    });
  }
  return response as DynamoDBBatchResponse;
};

export const handler = withObservability(index);
