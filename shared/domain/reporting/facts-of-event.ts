import type { EventOf } from '#domain/events';
import { type SourceEvent, typedEvent } from '#domain/projections/source-event';
import type { FactRow, FactTableName } from './fact-tables.ts';
import { epoch, major, orderLifecycleFact, quoteLifecycleFact } from './lifecycle-facts.ts';
import { commandRefusedEventType, refusalFact } from './refusal-facts.ts';

/** Each event gives rows of one table only: a Firehose record lands in one partition. */
export type Facts = {
  [N in FactTableName]: { table: N; dt: string; rows: FactRow<N>[] };
}[FactTableName];

/**
 * What the facts need beyond the event, read from the source of record by the caller (the fact
 * mapper, the rebuild): internal figures events must not carry (they reach channels) and the
 * region of an order's quote. Absent: the columns are null.
 */
export type FactContext = {
  /** Accepted quote: the recurring margin of each line of its price snapshot (minor units). */
  lineMargins?: Readonly<Record<string, number>>;
  /** Order events: the region of the customer on the order's quote. */
  region?: string | null;
  /** Billing handoff outcome: whether what billing acknowledged is the order's accepted terms. */
  billingMatchesContract?: boolean | null;
};

const dateKey = (iso: string | undefined): number | null =>
  iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? Number(iso.slice(0, 10).replaceAll('-', '')) : null;

type PricedQuoteEvent = EventOf<'QuoteAttributeValueChangeEvent'> | EventOf<'QuoteAcceptedEvent'>;
type Envelope = Pick<SourceEvent, 'eventId' | 'eventTime' | 'aggregateId' | 'aggregateVersion'>;

const quoteLineFacts = (
  envelope: Envelope,
  event: PricedQuoteEvent,
  kind: 'PRICED' | 'ACCEPTED',
  context: FactContext,
) => {
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
      // Cost and margin never travel in events (events reach channels): the accepted price
      // snapshot's margin comes from the quote aggregate (FactContext).
      margin_amount: kind === 'ACCEPTED' ? major(context.lineMargins?.[l.lineId]) : null,
      approval_basis: grant?.basis ?? null,
      price_input_hash: price.inputHash ?? null,
      created_date_key: dateKey(r.createdAt),
      created_epoch_seconds: epoch(r.createdAt),
      fact_epoch_seconds: epoch(envelope.eventTime),
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
  context: FactContext,
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
    region: context.region ?? null,
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
    billing_matches_contract:
      r.type === 'BILLING_HANDOFF' && r.state === 'DONE' ? (context.billingMatchesContract ?? null) : null,
    event_id: envelope.eventId,
    event_time: envelope.eventTime,
  };
};

const one = <N extends FactTableName>(table: N, dt: string, row: FactRow<N> | undefined) =>
  row ? ({ table, dt, rows: [row] } as Facts) : undefined;

/** The fact rows one domain event contributes (none for most events), with their date partition. */
export const factsOf = (source: SourceEvent, context: FactContext = {}): Facts | undefined => {
  const dt = source.eventTime.slice(0, 10);
  if (source.eventType === commandRefusedEventType)
    return one('fact_command_refusal', dt, refusalFact(source));
  const event = typedEvent(source);
  if (!event) return undefined;
  if (event.eventType === 'QuoteAcceptedEvent' || event.eventType === 'QuoteAttributeValueChangeEvent') {
    if (event.eventType === 'QuoteAttributeValueChangeEvent' && !event.resource.price)
      return one('fact_quote_lifecycle', dt, quoteLifecycleFact(source, event));
    const kind = event.eventType === 'QuoteAcceptedEvent' ? 'ACCEPTED' : 'PRICED';
    const rows = quoteLineFacts(source, event, kind, context);
    return rows.length ? { table: 'fact_quote_line_price', dt, rows } : undefined;
  }
  if (event.eventType === 'FulfillmentTaskStateChangeEvent')
    return one('fact_order_fulfillment_task', dt, taskFact(source, event, context));
  if (event.domain === 'quote') return one('fact_quote_lifecycle', dt, quoteLifecycleFact(source, event));
  if (event.domain === 'productOrder')
    return one('fact_order_lifecycle', dt, orderLifecycleFact(source, event, context));
  return undefined;
};

export const factTableOf = (facts: Facts): FactTableName => facts.table;
