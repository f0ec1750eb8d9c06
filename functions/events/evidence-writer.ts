import type { Context, EventBridgeEvent } from 'aws-lambda';
import { resolveEventDetail } from '#adapters/event-details';
import { evidenceStore } from '#adapters/evidence-store';
import { loadOrder } from '#adapters/order-repository';
import { loadQuote } from '#adapters/quote-loader';
import { orderEvidenceRecords, quoteEvidenceRecords } from '#domain/audit/evidence-records';
import type { SourceEvent } from '#domain/projections/source-event';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * Seals the evidence records of the quote or order an event concerns into the write-once
 * evidence store, read from the source aggregate (not from the event). Sealing is idempotent:
 * a record already sealed keeps its first copy; a different body under the same key is logged,
 * and the audit view reports it as not matching.
 */
const seal = async (event: EventBridgeEvent<string, SourceEvent>, _context: Context) => {
  const { aggregateType, aggregateId } = await resolveEventDetail(event.detail);
  const records =
    aggregateType === 'QUOTE'
      ? await loadQuote(aggregateId).then((s) =>
          s ? quoteEvidenceRecords({ ...s.aggregate, version: s.version }) : [],
        )
      : await loadOrder(aggregateId).then((s) =>
          s ? orderEvidenceRecords({ ...s.aggregate, version: s.version }) : [],
        );
  const store = await evidenceStore();
  let sealed = 0;
  for (const r of records) {
    const result = await store.seal(r.link.key, r.body);
    if (result.sealedNow) sealed++;
    else if (result.body !== r.body)
      logger.warn('evidence differs from its sealed copy', { key: r.link.key });
  }
  return { records: records.length, sealed };
};

export const handler = withObservability(seal);
