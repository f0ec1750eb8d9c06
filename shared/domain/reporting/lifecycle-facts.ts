import type { ProductOrderEvent, QuoteEvent } from '#domain/events';
import type { SourceEvent } from '#domain/projections/source-event';
import type { FactRow } from './fact-tables.ts';

export const major = (minor: number | undefined): number | null =>
  typeof minor === 'number' ? minor / 100 : null;
export const epoch = (iso: string | undefined): number | null => {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
};

type Envelope = Pick<SourceEvent, 'eventId' | 'eventTime' | 'aggregateId' | 'aggregateVersion'>;
type QuoteMilestoneEvent = Exclude<QuoteEvent, { eventType: 'QuoteAcceptedEvent' }>;

/** A submission leaves `inProgress` for approval (`pending`) or with an automatic approval (`approved`). */
const stateMilestone = (from: string, to: string): string => {
  if (from === 'inProgress' && (to === 'pending' || to === 'approved')) return 'SUBMITTED';
  if (to === 'rejected') return 'REJECTED';
  if (to === 'cancelled') return 'CANCELLED';
  return 'STATE_CHANGED';
};

/**
 * The milestone a quote event records, with the time it happened (an approval step keeps its
 * own time, which a snapshot of the aggregate gives back too). Acceptance is a line price fact.
 */
const quoteMilestone = (event: QuoteMilestoneEvent, eventTime: string) => {
  const none = { from_state: null, to_state: null, request_id: null, decision: null, reason_codes: null };
  switch (event.eventType) {
    case 'QuoteCreateEvent':
      return { ...none, milestone: 'CREATED', at: event.resource.createdAt ?? eventTime };
    case 'QuoteAttributeValueChangeEvent':
      return event.resource.changedAttributes?.includes('lines')
        ? { ...none, milestone: 'LINES_CONFIGURED', at: eventTime }
        : undefined;
    case 'QuoteStateChangeEvent':
      return {
        ...none,
        milestone: stateMilestone(event.resource.previousState, event.resource.state),
        from_state: event.resource.previousState,
        to_state: event.resource.state,
        at: eventTime,
      };
    case 'QuoteApprovalRequestedEvent': {
      const r = event.resource.approvalRequest;
      return {
        ...none,
        milestone: 'APPROVAL_REQUESTED',
        request_id: r.id,
        reason_codes: [...r.reasonCodes].sort().join(','),
        at: r.submittedAt,
      };
    }
    case 'QuoteApprovalDecidedEvent': {
      const d = event.resource.approvalDecision;
      return {
        ...none,
        milestone: 'APPROVAL_DECIDED',
        request_id: d.requestId,
        decision: d.decision,
        at: d.at,
      };
    }
    case 'QuoteApprovalInvalidatedEvent':
      return {
        ...none,
        milestone: 'APPROVAL_INVALIDATED',
        request_id: event.resource.requestId ?? null,
        at: eventTime,
      };
  }
};

export const quoteLifecycleFact = (
  envelope: Envelope,
  event: QuoteMilestoneEvent,
): FactRow<'fact_quote_lifecycle'> | undefined => {
  const m = quoteMilestone(event, envelope.eventTime);
  if (!m) return undefined;
  const r = event.resource;
  const { at, ...milestone } = m;
  return {
    quote_id: envelope.aggregateId,
    quote_version: envelope.aggregateVersion,
    ...milestone,
    cause: event.eventType === 'QuoteApprovalInvalidatedEvent' ? event.resource.cause : null,
    account_id: r.accountId ?? null,
    channel: r.channelId ?? null,
    region: r.customer?.region ?? null,
    segment: r.customer?.segment ?? null,
    line_count: r.products?.length ?? null,
    created_epoch_seconds: epoch(r.createdAt),
    valid_until_epoch_seconds: epoch(r.validFor?.endDateTime),
    valid_until_date: r.validFor?.endDateTime?.slice(0, 10) ?? null,
    occurred_at: at,
    occurred_epoch_seconds: epoch(at),
    event_id: envelope.eventId,
    event_time: envelope.eventTime,
  };
};

type OrderMilestoneEvent = Exclude<ProductOrderEvent, { eventType: 'FulfillmentTaskStateChangeEvent' }>;

const orderMilestone = (event: OrderMilestoneEvent, eventTime: string) => {
  const none = {
    quote_id: null,
    account_id: null,
    item_count: null,
    from_state: null,
    to_state: null,
    fallout_reason_code: null,
    cancellation_id: null,
    cancellation_state: null,
    repair_action: null,
    repair_reason_code: null,
  };
  switch (event.eventType) {
    case 'ProductOrderCreateEvent': {
      const r = event.resource;
      return {
        ...none,
        milestone: 'CREATED',
        quote_id: r.quoteId,
        account_id: r.accountId,
        item_count: r.productOrderItem.length,
        to_state: r.state,
        at: r.orderDate ?? eventTime,
      };
    }
    case 'ProductOrderStateChangeEvent': {
      const r = event.resource;
      return {
        ...none,
        milestone: 'STATE_CHANGED',
        quote_id: r.quoteId,
        account_id: r.accountId,
        from_state: r.previousState,
        to_state: r.state,
        fallout_reason_code: r.fallout?.reasonCode ?? null,
        at: r.fallout?.since ?? r.at ?? eventTime,
      };
    }
    case 'FulfillmentPlanCreateEvent':
      return { ...none, milestone: 'PLANNED', at: eventTime };
    case 'FulfillmentTaskRepairEvent':
      return {
        ...none,
        milestone: 'REPAIRED',
        repair_action: event.resource.action,
        repair_reason_code: event.resource.reasonCode,
        at: event.resource.at ?? eventTime,
      };
    case 'CancelProductOrderCreateEvent':
    case 'CancelProductOrderStateChangeEvent':
      return {
        ...none,
        milestone: 'CANCELLATION',
        cancellation_id: event.resource.id,
        cancellation_state: event.resource.state,
        at: eventTime,
      };
    default:
      return undefined;
  }
};

export const orderLifecycleFact = (
  envelope: Envelope,
  event: OrderMilestoneEvent,
  context: { region?: string | null },
): FactRow<'fact_order_lifecycle'> | undefined => {
  const m = orderMilestone(event, envelope.eventTime);
  if (!m) return undefined;
  const { at, ...milestone } = m;
  const channel = (event.resource as { channelId?: string }).channelId ?? null;
  return {
    order_id: (event.resource as { orderId?: string }).orderId ?? envelope.aggregateId,
    order_version: envelope.aggregateVersion,
    ...milestone,
    channel,
    region: context.region ?? null,
    occurred_at: at,
    occurred_epoch_seconds: epoch(at),
    event_id: envelope.eventId,
    event_time: envelope.eventTime,
  };
};
