import type {
  Context,
  FirehoseTransformationEvent,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import type { SourceEvent } from '#domain/projections/source-event';
import { factsOf } from '#domain/reporting/facts-of-event';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * Kinesis Data Firehose record transformation: each record is one domain event as EventBridge
 * delivered it; the result is its fact rows as NDJSON with the partition keys (fact table,
 * event date) that the delivery stream's S3 prefix uses. Events without facts are dropped.
 */
const toFacts = (
  record: FirehoseTransformationEvent['records'][number],
): FirehoseTransformationResultRecord => {
  try {
    const event = JSON.parse(Buffer.from(record.data, 'base64').toString('utf8')) as { detail?: SourceEvent };
    const facts = event.detail ? factsOf(event.detail) : undefined;
    if (!facts) return { recordId: record.recordId, result: 'Dropped', data: '' };
    const ndjson = facts.rows.map((row) => `${JSON.stringify(row)}\n`).join('');
    return {
      recordId: record.recordId,
      result: 'Ok',
      data: Buffer.from(ndjson).toString('base64'),
      metadata: { partitionKeys: { table: facts.table, dt: facts.dt } },
    };
  } catch (error) {
    logger.warn('record is not a domain event', { recordId: record.recordId, error: (error as Error).name });
    return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
  }
};

const mapFacts = async (
  event: FirehoseTransformationEvent,
  _context: Context,
): Promise<FirehoseTransformationResult> => ({
  records: event.records.map(toFacts),
});

export const handler = withObservability(mapFacts);
