import {
  type Freshness,
  freshnessAfter,
  type SourceEvent,
  type TypedSourceEvent,
  typedEvent,
} from './source-event.ts';

/**
 * One entry per source event that names an account. Quote events and the order's create and
 * state-change events carry `accountId`; task-level order events do not (their effect on the
 * account shows as the order's state change: held on fallout, inProgress after repair).
 */
export type TimelineEntry = {
  /** Sort key within the account: time, then source identity (stable and unique). */
  key: string;
  accountId: string;
  channelId: string;
  occurredAt: string;
  entryType: string;
  title: string;
  source: {
    aggregateType: string;
    aggregateId: string;
    aggregateVersion: number;
    eventId: string;
    eventType: string;
    at: string;
  };
  related: { quoteId?: string; orderId?: string };
  freshness: Freshness;
};

/** The title of an event the timeline shows; undefined for the events it leaves out. */
const titleOf = (event: TypedSourceEvent): string | undefined => {
  const id = event.aggregateId;
  switch (event.eventType) {
    case 'QuoteCreateEvent':
      return `Quote ${id} created`;
    case 'QuoteStateChangeEvent':
      return `Quote ${id} ${event.resource.previousState ?? '?'} → ${event.resource.state ?? '?'}`;
    case 'QuoteAttributeValueChangeEvent':
      return `Quote ${id} changed (${event.resource.changedAttributes?.join(', ') ?? 'attributes'})`;
    case 'QuoteApprovalRequestedEvent':
      return `Quote ${id} submitted for approval (${(event.resource.approvalRequest?.reasonCodes ?? []).join(', ')})`;
    case 'QuoteApprovalDecidedEvent':
      return `Quote ${id} approval ${event.resource.approvalDecision?.decision?.toLowerCase() ?? 'decided'}`;
    case 'QuoteApprovalInvalidatedEvent':
      return `Quote ${id} approval invalidated (${event.resource.cause ?? 'change'})`;
    case 'QuoteAcceptedEvent':
      return `Quote ${id} accepted by customer`;
    case 'ProductOrderCreateEvent':
      return `Order ${id} submitted from quote ${event.resource.quoteId ?? '?'}`;
    case 'ProductOrderRevisionEvent': {
      const { revision, addedItemIds, removedItemIds, quoteId } = event.resource;
      return `Order ${id} revised (revision ${revision ?? '?'} to quote ${quoteId ?? '?'}: ${addedItemIds?.length ?? 0} added, ${removedItemIds?.length ?? 0} removed)`;
    }
    case 'ProductOrderStateChangeEvent': {
      const { fallout, previousState, state } = event.resource;
      return fallout
        ? `Order ${id} in fallout (${fallout.reasonCode})`
        : `Order ${id} ${previousState ?? '?'} → ${state ?? '?'}`;
    }
    default:
      return undefined;
  }
};

export const timelineKey = (e: SourceEvent): string =>
  `${e.eventTime}#${e.aggregateType}#${e.aggregateId}#${String(e.aggregateVersion).padStart(10, '0')}#${e.eventId}`;

export const timelineEntryOf = (source: SourceEvent, now: string): TimelineEntry | undefined => {
  const event = typedEvent(source);
  const title = event && titleOf(event);
  const r = event?.resource;
  const accountId = r && 'accountId' in r ? r.accountId : undefined;
  if (!event || !r || !accountId || !title) return undefined;
  const isQuote = event.aggregateType === 'QUOTE';
  const entryType =
    event.eventType === 'ProductOrderStateChangeEvent' && event.resource.fallout
      ? 'ORDER_FALLOUT'
      : event.eventType
          .replace(/Event$/, '')
          .replace(/([a-z])([A-Z])/g, '$1_$2')
          .toUpperCase();
  return {
    key: timelineKey(event),
    accountId,
    channelId: 'channelId' in r ? r.channelId : '',
    occurredAt: event.eventTime,
    entryType,
    title,
    source: {
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      aggregateVersion: event.aggregateVersion,
      eventId: event.eventId,
      eventType: event.eventType,
      at: event.eventTime,
    },
    related: isQuote
      ? { quoteId: event.aggregateId }
      : { orderId: event.aggregateId, ...('quoteId' in r && r.quoteId ? { quoteId: r.quoteId } : {}) },
    freshness: freshnessAfter(undefined, source, now),
  };
};

/** The timeline as a set of entries: adding an entry twice, or in any order, gives the same list. */
export const applyTimelineEvent = (
  entries: TimelineEntry[] | undefined,
  event: SourceEvent,
  now: string,
): TimelineEntry[] | undefined => {
  const entry = timelineEntryOf(event, now);
  if (!entry) return entries;
  const list = entries ?? [];
  if (list.some((e) => e.key === entry.key)) return list;
  return [...list, entry].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
};
