import { type Freshness, freshnessAfter, obj, type SourceEvent, str } from './source-event.ts';

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

const titles: Record<string, (r: Record<string, unknown>, id: string) => string> = {
  QuoteCreateEvent: (_, id) => `Quote ${id} created`,
  QuoteStateChangeEvent: (r, id) => `Quote ${id} ${str(r.previousState) ?? '?'} → ${str(r.state) ?? '?'}`,
  QuoteAttributeValueChangeEvent: (r, id) =>
    `Quote ${id} changed (${Array.isArray(r.changedAttributes) ? r.changedAttributes.join(', ') : 'attributes'})`,
  QuoteApprovalRequestedEvent: (r, id) =>
    `Quote ${id} submitted for approval (${((obj(r.approvalRequest)?.reasonCodes as string[] | undefined) ?? []).join(', ')})`,
  QuoteApprovalDecidedEvent: (r, id) =>
    `Quote ${id} approval ${str(obj(r.approvalDecision)?.decision)?.toLowerCase() ?? 'decided'}`,
  QuoteApprovalInvalidatedEvent: (r, id) => `Quote ${id} approval invalidated (${str(r.cause) ?? 'change'})`,
  QuoteAcceptedEvent: (_, id) => `Quote ${id} accepted by customer`,
  ProductOrderCreateEvent: (r, id) => `Order ${id} submitted from quote ${str(r.quoteId) ?? '?'}`,
  ProductOrderStateChangeEvent: (r, id) => {
    const fallout = obj(r.fallout);
    return fallout
      ? `Order ${id} in fallout (${str(fallout.reasonCode)})`
      : `Order ${id} ${str(r.previousState) ?? '?'} → ${str(r.state) ?? '?'}`;
  },
};

export const timelineKey = (e: SourceEvent): string =>
  `${e.eventTime}#${e.aggregateType}#${e.aggregateId}#${String(e.aggregateVersion).padStart(10, '0')}#${e.eventId}`;

export const timelineEntryOf = (event: SourceEvent, now: string): TimelineEntry | undefined => {
  const r = event.resource;
  const accountId = str(r.accountId);
  const title = titles[event.eventType];
  if (!accountId || !title) return undefined;
  const isQuote = event.aggregateType === 'QUOTE';
  const entryType =
    event.eventType === 'ProductOrderStateChangeEvent' && obj(r.fallout)
      ? 'ORDER_FALLOUT'
      : event.eventType
          .replace(/Event$/, '')
          .replace(/([a-z])([A-Z])/g, '$1_$2')
          .toUpperCase();
  return {
    key: timelineKey(event),
    accountId,
    channelId: str(r.channelId) ?? '',
    occurredAt: event.eventTime,
    entryType,
    title: title(r, event.aggregateId),
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
      : { orderId: event.aggregateId, ...(str(r.quoteId) ? { quoteId: str(r.quoteId) } : {}) },
    freshness: freshnessAfter(undefined, event, now),
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
