import type {
  Context,
  FirehoseTransformationEvent,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { resolveEventDetail } from '#adapters/event-details';
import { factContextOf } from '#adapters/fact-context';
import type { SourceEvent } from '#domain/projections/source-event';
import { factsOf } from '#domain/reporting/facts-of-event';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

type Parsed = { detail?: SourceEvent } | undefined;

const parse = (record: FirehoseTransformationEvent['records'][number]): Parsed => {
  try {
    return JSON.parse(Buffer.from(record.data, 'base64').toString('utf8')) as { detail?: SourceEvent };
  } catch (error) {
    logger.warn('record is not a domain event', { recordId: record.recordId, error: (error as Error).name });
    return undefined;
  }
};

/**
 * Kinesis Data Firehose record transformation: each record is one domain event as EventBridge
 * delivered it; the result is its fact rows as NDJSON with the partition keys (fact table,
 * event date) that the delivery stream's S3 prefix uses. Events without facts are dropped.
 * A claim check whose event cannot be read fails the invocation: Firehose retries it; so does a
 * record whose quote or order could not be read for its context (fact-context.ts).
 */
const toFacts = async (
  record: FirehoseTransformationEvent['records'][number],
): Promise<FirehoseTransformationResultRecord> => {
  const event = parse(record);
  if (!event) return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
  const detail = event.detail && (await resolveEventDetail(event.detail));
  try {
    // The context is read only for an event that gives facts at all.
    const facts = detail && factsOf(detail) ? factsOf(detail, await factContextOf(detail)) : undefined;
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
  records: await Promise.all(event.records.map(toFacts)),
});

export const handler = withObservability(mapFacts);
