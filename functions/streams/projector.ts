import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { putSummaryGauge } from '#adapters/gauge-store';
import { pointerCache, projectEvent } from '#adapters/read-model-projector';
import { envelopeOf } from '#adapters/stream-records';
import { lagSummary } from '#domain/projections/gauges';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * Outbox items → read models. Each record is applied with read-modify-write under a revision
 * condition; the pure reducers skip applied event ids and never move a sub-entity back to an
 * older aggregate version, so duplicates and out-of-order records change nothing. A record that
 * fails is reported as a batch item failure: the stream retries from it (re-delivering later
 * records, which the reducers ignore) and finally dead-letters it.
 */
const project = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  const pointers = pointerCache();
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const lags: { lagMs: number; eventTime: string }[] = [];
  const handleRecord = async (record: DynamoDBRecord) => {
    const envelope = envelopeOf(record);
    if (!envelope) return;
    const now = new Date().toISOString();
    const { written } = await projectEvent(envelope, now, pointers);
    const lagMs = Math.max(0, Date.parse(now) - Date.parse(envelope.eventTime));
    emit('ProjectionLag', lagMs);
    lags.push({ lagMs, eventTime: envelope.eventTime });
    if (written === 0) logger.debug('event already projected', { eventId: envelope.eventId });
  };
  const response = await processPartialResponse(event, handleRecord, processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });
  // Freshness for the dashboards: the last batch's lag and how far the views are current.
  if (lags.length > 0) await putSummaryGauge('projection-lag', lagSummary(lags, new Date().toISOString()));
  if (response.batchItemFailures.length > 0) {
    logger.warn('projection failed for some records; stream will retry', {
      failed: response.batchItemFailures.length,
    });
  }
  return response as DynamoDBBatchResponse;
};

export const handler = withObservability(project);
