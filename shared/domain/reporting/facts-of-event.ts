import type { EventOf } from '#domain/events';
import { type SourceEvent, typedEvent } from '#domain/projections/source-event';
import type { FactRow, FactTableName } from './fact-tables.ts';

export type Facts =
  | { table: 'fact_quote_line_price'; dt: string; rows: FactRow<'fact_quote_line_price'>[] }
  | { table: 'fact_order_fulfillment_task'; dt: string; rows: FactRow<'fact_order_fulfillment_task'>[] };

const major = (minor: number | undefined): number | null => (typeof minor === 'number' ? minor / 100 : null);
const dateKey = (iso: string | undefined): number | null =>
  iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? Number(iso.slice(0, 10).replaceAll('-', '')) : null;
const epoch = (iso: string | undefined): number | null => {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
};

type PricedQuoteEvent = EventOf<'QuoteAttributeValueChangeEvent'> | EventOf<'QuoteAcceptedEvent'>;
type Envelope = Pick<SourceEvent, 'eventId' | 'eventTime' | 'aggregateId' | 'aggregateVersion'>;

const quoteLineFacts = (envelope: Envelope, event: PricedQuoteEvent, kind: 'PRICED' | 'ACCEPTED') => {
  const r = event.resource;
  const price = r.price;
  if (!price || !Array.isArray(price.lines)) return [];
  const families = new Map((r.products ?? []).map((p) => [p.lineId, p.productFamily]));
  const grant = event.eventType === 'QuoteAcceptedEvent' ? event.resource.approvalGrant : null;
  return price.lines.map((l): FactRow<'fact_quote_line_price'> => {
    const discountRecurring = major(l.discountRecurring) ?? 0;
    return {
      quote_id: envelope.aggregateId,
      quote_revision: envelope.aggregateVersion,
      quote_line_id: l.lineId ?? null,
      fact_kind: kind,
      account_id: r.accountId ?? null,
      product_offering_id: l.offeringId ?? null,
      product_family: families.get(l.lineId) ?? null,
      region: r.customer?.region ?? null,
      segment: r.customer?.segment ?? null,
      channel: r.channelId ?? null,
      catalog_version: price.catalogVersion ?? null,
      price_book_version: price.priceBookVersion ?? null,
      policy_version: price.policyVersion ?? null,
      currency: r.currency ?? null,
      list_price_amount: major(l.listRecurring),
      list_one_time_amount: major(l.listOneTime),
      discount_percent: l.discountPercent ?? null,
      // The only discount this domain grants is the line's discretionary percentage; the
      // other kinds exist as columns so a report never sums unlike things into one.
      discount_amount: discountRecurring,
      discount_line_discretionary_amount: discountRecurring,
      discount_bundle_amount: 0,
      discount_promotion_amount: 0,
      discount_contract_adjustment_amount: 0,
      discount_manual_override_amount: 0,
      discount_renewal_incentive_amount: 0,
      discount_partner_margin_adjustment_amount: 0,
      discount_one_time_amount: major(l.discountOneTime),
      net_price_amount: major(l.netRecurring),
      net_one_time_amount: major(l.netOneTime),
      // Cost and margin never leave the quote aggregate in events (events reach channels).
      margin_amount: null,
      approval_basis: grant?.basis ?? null,
      created_date_key: dateKey(r.createdAt),
      approved_date_key: dateKey(grant?.grantedAt),
      event_id: envelope.eventId,
      event_time: envelope.eventTime,
    };
  });
};

const outcomes = new Set(['DONE', 'FAILED', 'CANCELLED']);

const taskFact = (
  envelope: Envelope,
  event: EventOf<'FulfillmentTaskStateChangeEvent'>,
): FactRow<'fact_order_fulfillment_task'> | undefined => {
  const r = event.resource;
  if (!r.state || !outcomes.has(r.state)) return undefined;
  const startedAt = r.dispatchedAt;
  const completedAt = r.completedAt ?? envelope.eventTime;
  const completedMs = Date.parse(completedAt);
  return {
    order_id: r.orderId ?? envelope.aggregateId,
    order_item_id: r.orderItemId ?? null,
    task_id: r.taskId ?? null,
    task_type: r.type ?? null,
    task_action: r.action ?? null,
    downstream_system: r.downstream ?? null,
    product_family: r.productFamily ?? null,
    // Orders do not carry the customer's region; quote facts do.
    region: null,
    channel: r.channelId ?? null,
    started_at: startedAt ?? null,
    completed_at: completedAt,
    started_epoch_seconds: epoch(startedAt),
    completed_epoch_seconds: epoch(completedAt),
    duration_seconds:
      startedAt && !Number.isNaN(completedMs)
        ? Math.max(0, (completedMs - Date.parse(startedAt)) / 1000)
        : null,
    outcome: r.state,
    fallout_reason_code: r.state === 'FAILED' ? (r.lastErrorCode ?? 'UNKNOWN') : null,
    retry_count: Math.max(0, (r.attempts ?? 0) - 1),
    query_count: r.queries ?? 0,
    unknown_outcome: !!r.unknownSince,
    event_id: envelope.eventId,
    event_time: envelope.eventTime,
  };
};

/** The fact rows one domain event contributes (none for most events), with their date partition. */
export const factsOf = (source: SourceEvent): Facts | undefined => {
  const event = typedEvent(source);
  const dt = source.eventTime.slice(0, 10);
  if (event?.eventType === 'QuoteAcceptedEvent' || event?.eventType === 'QuoteAttributeValueChangeEvent') {
    const kind = event.eventType === 'QuoteAcceptedEvent' ? 'ACCEPTED' : 'PRICED';
    const rows = quoteLineFacts(source, event, kind);
    return rows.length ? { table: 'fact_quote_line_price', dt, rows } : undefined;
  }
  if (event?.eventType === 'FulfillmentTaskStateChangeEvent') {
    const row = taskFact(source, event);
    return row ? { table: 'fact_order_fulfillment_task', dt, rows: [row] } : undefined;
  }
  return undefined;
};

export const factTableOf = (facts: Facts): FactTableName => facts.table;
