import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { EventEnvelope } from '#adapters/aggregate-store';
import { putSummaryGauge } from '#adapters/gauge-store';
import { projectEvents } from '#adapters/read-model-projector';
import { envelopeOf } from '#adapters/stream-records';
import { lagSummary } from '#domain/projections/gauges';
import { isOrderEvent } from '#domain/projections/order-tracking';
import { isQuoteEvent } from '#domain/projections/quote-summary';
import { viewCatalog } from '#domain/projections/view-catalog';
import { type ViewName, viewsFor } from '#domain/projections/views';
import { emit, emitValues, emitValuesOf } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * Outbox items → read models and search documents, a batch at a time: the events of one row are folded into one
 * read-modify-write under the row's revision condition (one read and one write per row and
 * batch instead of per event). The pure reducers skip applied event ids and never move a
 * sub-entity back to an older aggregate version, so duplicates and out-of-order records change
 * nothing. Records whose writes failed are batch item failures: the stream retries from the
 * first of them (re-delivering later records, which the reducers ignore), finally parks the
 * batch on its on-failure queue, from which `projection-redrive` projects it again.
 * Hand-written rather than Powertools' BatchProcessor, which handles one record at a time.
 */
const project = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const records = event.Records.flatMap((record) => {
    const envelope = envelopeOf(record);
    return envelope ? [{ record, envelope }] : [];
  });
  const now = new Date().toISOString();
  const envelopes = records.map((r) => r.envelope);
  const { failed, written } = await projectEvents(envelopes, now);
  const lags = records.map(({ envelope }: { envelope: EventEnvelope }) => {
    const lagMs = Math.max(0, Date.parse(now) - Date.parse(envelope.eventTime));
    return { lagMs, eventTime: envelope.eventTime };
  });
  emitValues(
    'ProjectionLag',
    lags.map((l) => l.lagMs),
  );
  // Per view (each against its owner's target) and for the search index.
  const byView = new Map<string, number[]>();
  const searchLags: number[] = [];
  records.forEach(({ envelope }, i) => {
    if (failed.has(envelope)) return;
    for (const view of viewsFor(envelope)) byView.set(view, [...(byView.get(view) ?? []), lags[i]!.lagMs]);
    if (isQuoteEvent(envelope) || isOrderEvent(envelope)) searchLags.push(lags[i]!.lagMs);
  });
  for (const [view, values] of byView) {
    emitValuesOf('ViewProjectionLag', view, values);
    // The freshness SLO (shared/slos.ts): rows projected, and those later than the owner's target.
    emit('ViewProjections', values.length, view);
    const late = values.filter((lag) => lag > viewCatalog[view as ViewName].lagTargetMs).length;
    if (late > 0) emit('ViewProjectionsLate', late, view);
  }
  emitValues('SearchIndexLag', searchLags);
  // Freshness for the dashboards: the last batch's lag and how far the views are current.
  if (lags.length > 0) await putSummaryGauge('projection-lag', lagSummary(lags, new Date().toISOString()));
  const batchItemFailures = records
    .filter(({ envelope }) => failed.has(envelope))
    .map(({ record }) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }));
  if (batchItemFailures.length > 0) {
    logger.warn('projection failed for some records; stream will retry', {
      failed: batchItemFailures.length,
    });
  }
  logger.debug('batch projected', { records: records.length, written });
  return { batchItemFailures };
};

export const handler = withObservability(project);
