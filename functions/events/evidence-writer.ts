import type { Context, EventBridgeEvent } from 'aws-lambda';
import { resolveEventDetail } from '#adapters/event-details';
import { evidenceStore } from '#adapters/evidence-store';
import { loadOrder } from '#adapters/order-repository';
import { loadQuote } from '#adapters/quote-loader';
import { evidenceInEvent, orderEventEvidence } from '#domain/audit/event-evidence';
import type { EvidenceRecord } from '#domain/audit/evidence-link';
import { quoteEvidenceRecords } from '#domain/audit/evidence-records';
import type { SourceEvent } from '#domain/projections/source-event';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * The records an event creates: a task's confirmation and a repair from the event (the outbox
 * item written with the order; only our publisher may put order events on the bus), a capture
 * or revision from the order, a quote's from the quote.
 */
const recordsOf = async (event: SourceEvent): Promise<EvidenceRecord[]> => {
  if (event.aggregateType === 'QUOTE') {
    const s = await loadQuote(event.aggregateId);
    return s ? quoteEvidenceRecords({ ...s.aggregate, version: s.version }) : [];
  }
  const inEvent = evidenceInEvent(event);
  if (inEvent) return inEvent;
  const s = await loadOrder(event.aggregateId);
  return s ? orderEventEvidence(event, { ...s.aggregate, version: s.version }) : [];
};

/**
 * Seals the evidence records an event creates into the write-once evidence store, and only
 * those: the work per event does not grow with the order. Sealing is idempotent: a record
 * already sealed keeps its first copy; a different body under the same key is logged, and the
 * audit view reports it as not matching.
 */
const seal = async (event: EventBridgeEvent<string, SourceEvent>, _context: Context) => {
  const records = await recordsOf(await resolveEventDetail(event.detail));
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
