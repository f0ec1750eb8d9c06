import { num, obj, type SourceEvent, str } from '#domain/projections/source-event';
import type { FactRow, FactTableName } from './fact-tables.ts';

export type Facts =
  | { table: 'fact_quote_line_price'; dt: string; rows: FactRow<'fact_quote_line_price'>[] }
  | { table: 'fact_order_fulfillment_task'; dt: string; rows: FactRow<'fact_order_fulfillment_task'>[] };

const major = (minor: unknown): number | null => (typeof minor === 'number' ? minor / 100 : null);
const dateKey = (iso: string | undefined): number | null =>
  iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? Number(iso.slice(0, 10).replaceAll('-', '')) : null;
const epoch = (iso: string | undefined): number | null => {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
};

const quoteLineFacts = (event: SourceEvent, kind: 'PRICED' | 'ACCEPTED') => {
  const r = event.resource;
  const price = obj(r.price);
  if (!price || !Array.isArray(price.lines)) return [];
  const customer = obj(r.customer);
  const products = new Map(
    (Array.isArray(r.products) ? r.products : []).map((p) => [str(obj(p)?.lineId), obj(p)]),
  );
  const grant = obj(r.approvalGrant);
  return (price.lines as unknown[]).map((raw): FactRow<'fact_quote_line_price'> => {
    const l = obj(raw) ?? {};
    const discountRecurring = major(l.discountRecurring) ?? 0;
    return {
      quote_id: event.aggregateId,
      quote_revision: event.aggregateVersion,
      quote_line_id: str(l.lineId) ?? null,
      fact_kind: kind,
      account_id: str(r.accountId) ?? null,
      product_offering_id: str(l.offeringId) ?? null,
      product_family: str(products.get(str(l.lineId))?.productFamily) ?? null,
      region: str(customer?.region) ?? null,
      segment: str(customer?.segment) ?? null,
      channel: str(r.channelId) ?? null,
      catalog_version: str(price.catalogVersion) ?? null,
      price_book_version: str(price.priceBookVersion) ?? null,
      policy_version: str(price.policyVersion) ?? null,
      currency: str(r.currency) ?? null,
      list_price_amount: major(l.listRecurring),
      list_one_time_amount: major(l.listOneTime),
      discount_percent: num(l.discountPercent) ?? null,
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
      approval_basis: str(grant?.basis) ?? null,
      created_date_key: dateKey(str(r.createdAt)),
      approved_date_key: dateKey(str(grant?.grantedAt)),
      event_id: event.eventId,
      event_time: event.eventTime,
    };
  });
};

const outcomes = new Set(['DONE', 'FAILED', 'CANCELLED']);

const taskFact = (event: SourceEvent): FactRow<'fact_order_fulfillment_task'> | undefined => {
  const r = event.resource;
  const state = str(r.state);
  if (!state || !outcomes.has(state)) return undefined;
  const startedAt = str(r.dispatchedAt);
  const completedAt = str(r.completedAt) ?? event.eventTime;
  const started = epoch(startedAt);
  const completedMs = Date.parse(completedAt);
  const attempts = num(r.attempts) ?? 0;
  return {
    order_id: str(r.orderId) ?? event.aggregateId,
    order_item_id: str(r.orderItemId) ?? null,
    task_id: str(r.taskId) ?? null,
    task_type: str(r.type) ?? null,
    task_action: str(r.action) ?? null,
    downstream_system: str(r.downstream) ?? null,
    product_family: str(r.productFamily) ?? null,
    // Orders do not carry the customer's region; quote facts do.
    region: null,
    channel: str(r.channelId) ?? null,
    started_at: startedAt ?? null,
    completed_at: completedAt,
    started_epoch_seconds: started,
    completed_epoch_seconds: epoch(completedAt),
    duration_seconds:
      startedAt && !Number.isNaN(completedMs)
        ? Math.max(0, (completedMs - Date.parse(startedAt)) / 1000)
        : null,
    outcome: state,
    fallout_reason_code: state === 'FAILED' ? (str(r.lastErrorCode) ?? 'UNKNOWN') : null,
    retry_count: Math.max(0, attempts - 1),
    query_count: num(r.queries) ?? 0,
    unknown_outcome: !!str(r.unknownSince),
    event_id: event.eventId,
    event_time: event.eventTime,
  };
};

/** The fact rows one domain event contributes (none for most events), with their date partition. */
export const factsOf = (event: SourceEvent): Facts | undefined => {
  const dt = event.eventTime.slice(0, 10);
  if (event.aggregateType === 'QUOTE') {
    const kind =
      event.eventType === 'QuoteAcceptedEvent'
        ? 'ACCEPTED'
        : event.eventType === 'QuoteAttributeValueChangeEvent'
          ? 'PRICED'
          : undefined;
    const rows = kind ? quoteLineFacts(event, kind) : [];
    return rows.length ? { table: 'fact_quote_line_price', dt, rows } : undefined;
  }
  if (event.aggregateType === 'ORDER' && event.eventType === 'FulfillmentTaskStateChangeEvent') {
    const row = taskFact(event);
    return row ? { table: 'fact_order_fulfillment_task', dt, rows: [row] } : undefined;
  }
  return undefined;
};

export const factTableOf = (facts: Facts): FactTableName => facts.table;
