import {
  type Freshness,
  freshnessAfter,
  type SourceEvent,
  type TypedSourceEvent,
  typedEvent,
} from './source-event.ts';

/**
 * The account's commercial timeline (requirements 003 §5 CustomerCommercialTimelineView): one
 * entry per source event that names an account, from six sources: quotes, orders, fulfilment
 * tasks (dispatch, completion, failure, jeopardy), repairs, assets (installed products) and
 * billing (handoff, acknowledgement). Each entry is visible to the account's channel or to staff
 * only: approval steps, fallout, task failures and repairs carry internal reasons.
 */
export const timelineSources = ['quote', 'order', 'task', 'repair', 'asset', 'billing'] as const;
export type TimelineSource = (typeof timelineSources)[number];
export type TimelineVisibility = 'channel' | 'staff';

/**
 * Entries are stored per source and visibility (a stream): a partner reads only its channel's
 * visible streams, and a page keeps one position per stream.
 */
export type TimelineStream = `${TimelineSource}.${TimelineVisibility}`;
export const streamOf = (source: TimelineSource, visibility: TimelineVisibility): TimelineStream =>
  `${source}.${visibility}`;

/** The streams an audience reads, of the sources asked for. */
export const readableStreams = (
  audience: 'partner' | 'internal',
  sources: readonly TimelineSource[] = timelineSources,
): TimelineStream[] =>
  sources.flatMap((s) =>
    audience === 'partner' ? [streamOf(s, 'channel')] : [streamOf(s, 'channel'), streamOf(s, 'staff')],
  );

export type TimelineEntry = {
  /** Sort key within the account: time, then source identity (stable and unique). */
  key: string;
  accountId: string;
  channelId: string;
  occurredAt: string;
  entryType: string;
  title: string;
  timelineSource: TimelineSource;
  visibility: TimelineVisibility;
  source: {
    aggregateType: string;
    aggregateId: string;
    aggregateVersion: number;
    eventId: string;
    eventType: string;
    at: string;
  };
  related: { quoteId?: string; orderId?: string; productId?: string; taskId?: string };
  freshness: Freshness;
};

type Described = {
  source: TimelineSource;
  visibility: TimelineVisibility;
  entryType: string;
  title: string;
  related?: TimelineEntry['related'];
};

const snake = (eventType: string) =>
  eventType
    .replace(/Event$/, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase();

const quoteEntry = (event: TypedSourceEvent): Described | undefined => {
  const id = event.aggregateId;
  const d = (title: string, visibility: TimelineVisibility = 'channel'): Described => ({
    source: 'quote',
    visibility,
    entryType: snake(event.eventType),
    title,
    related: { quoteId: id },
  });
  switch (event.eventType) {
    case 'QuoteCreateEvent':
      return d(`Quote ${id} created`);
    case 'QuoteStateChangeEvent':
      return d(`Quote ${id} ${event.resource.previousState ?? '?'} → ${event.resource.state ?? '?'}`);
    case 'QuoteAttributeValueChangeEvent':
      return d(`Quote ${id} changed (${event.resource.changedAttributes?.join(', ') ?? 'attributes'})`);
    case 'QuoteApprovalRequestedEvent':
      return d(
        `Quote ${id} submitted for approval (${(event.resource.approvalRequest?.reasonCodes ?? []).join(', ')})`,
        'staff',
      );
    case 'QuoteApprovalDecidedEvent':
      return d(
        `Quote ${id} approval ${event.resource.approvalDecision?.decision?.toLowerCase() ?? 'decided'}`,
        'staff',
      );
    case 'QuoteApprovalInvalidatedEvent':
      return d(`Quote ${id} approval invalidated (${event.resource.cause ?? 'change'})`, 'staff');
    case 'QuoteAcceptedEvent':
      return d(`Quote ${id} accepted by customer`);
    default:
      return undefined;
  }
};

const taskVerb: Record<string, { verb: string; visibility: TimelineVisibility }> = {
  IN_PROGRESS: { verb: 'DISPATCHED', visibility: 'channel' },
  DONE: { verb: 'COMPLETED', visibility: 'channel' },
  FAILED: { verb: 'FAILED', visibility: 'staff' },
  UNKNOWN: { verb: 'OUTCOME_UNKNOWN', visibility: 'staff' },
};

const billingVerb: Record<string, { entryType: string; title: string; visibility: TimelineVisibility }> = {
  IN_PROGRESS: { entryType: 'BILLING_HANDOFF_SENT', title: 'handed to billing', visibility: 'channel' },
  DONE: { entryType: 'BILLING_ACKNOWLEDGED', title: 'acknowledged by billing', visibility: 'channel' },
  FAILED: { entryType: 'BILLING_HANDOFF_FAILED', title: 'refused by billing', visibility: 'staff' },
  UNKNOWN: { entryType: 'BILLING_HANDOFF_UNKNOWN', title: 'billing outcome unknown', visibility: 'staff' },
};

/** A task entry is a change of its state; retries, queries and progress notices are not. */
const taskEntry = (event: TypedSourceEvent & { eventType: 'FulfillmentTaskStateChangeEvent' }) => {
  const r = event.resource;
  if (!r.state || r.previousState === r.state) return undefined;
  const related = { orderId: r.orderId, taskId: r.taskId };
  if (r.type === 'BILLING_HANDOFF') {
    const b = billingVerb[r.state];
    return b && { source: 'billing' as const, ...b, title: `Order ${r.orderId} ${b.title}`, related };
  }
  const t = taskVerb[r.state];
  if (!t) return undefined;
  const what = `${r.type} of item ${r.orderItemId}`;
  return {
    source: 'task' as const,
    visibility: t.visibility,
    entryType: `TASK_${t.verb}`,
    // Staff read where and why; the channel only what happened.
    title:
      t.visibility === 'staff'
        ? `Task ${what} ${t.verb.toLowerCase().replace('_', ' ')} at ${r.downstream}${r.lastErrorCode ? ` (${r.lastErrorCode})` : ''}`
        : `Task ${what} ${t.verb.toLowerCase()}`,
    related,
  };
};

const orderEntry = (event: TypedSourceEvent): Described | undefined => {
  const id = event.aggregateId;
  switch (event.eventType) {
    case 'ProductOrderCreateEvent':
      return {
        source: 'order',
        visibility: 'channel',
        entryType: 'PRODUCT_ORDER_CREATE',
        title: `Order ${id} submitted from quote ${event.resource.quoteId ?? '?'}`,
        related: { orderId: id, ...(event.resource.quoteId ? { quoteId: event.resource.quoteId } : {}) },
      };
    case 'ProductOrderRevisionEvent': {
      const { revision, addedItemIds, removedItemIds, quoteId } = event.resource;
      return {
        source: 'order',
        visibility: 'channel',
        entryType: 'PRODUCT_ORDER_REVISION',
        title: `Order ${id} revised (revision ${revision ?? '?'} to quote ${quoteId ?? '?'}: ${addedItemIds?.length ?? 0} added, ${removedItemIds?.length ?? 0} removed)`,
        related: { orderId: id, ...(quoteId ? { quoteId } : {}) },
      };
    }
    case 'ProductOrderStateChangeEvent': {
      const { fallout, previousState, state, quoteId } = event.resource;
      const related = { orderId: id, ...(quoteId ? { quoteId } : {}) };
      return fallout
        ? {
            source: 'order',
            visibility: 'staff',
            entryType: 'ORDER_FALLOUT',
            title: `Order ${id} in fallout (${fallout.reasonCode})`,
            related,
          }
        : {
            source: 'order',
            visibility: 'channel',
            entryType: 'PRODUCT_ORDER_STATE_CHANGE',
            title: `Order ${id} ${previousState ?? '?'} → ${state ?? '?'}`,
            related,
          };
    }
    case 'ProductOrderJeopardyEvent': {
      const type = event.resource.jeopardyAlert?.jeopardyType ?? 'atRisk';
      return {
        source: 'task',
        visibility: 'channel',
        entryType: 'ORDER_JEOPARDY',
        title: `Order ${id} ${type === 'breached' ? 'missed its expected completion' : 'at risk of missing its expected completion'}`,
        related: { orderId: id },
      };
    }
    case 'FulfillmentTaskStateChangeEvent':
      return taskEntry(event);
    case 'FulfillmentTaskRepairEvent': {
      const r = event.resource;
      return {
        source: 'repair',
        visibility: 'staff',
        entryType: 'TASK_REPAIRED',
        title: `Task ${r.taskId} repaired: ${r.action} (${r.reasonCode}) by ${r.actor?.role ?? 'staff'}`,
        related: { orderId: id, taskId: r.taskId },
      };
    }
    default:
      return undefined;
  }
};

const assetEntry = (event: TypedSourceEvent): Described | undefined => {
  if (event.domain !== 'productInventory') return undefined;
  const r = event.resource as { id?: string; offeringId?: string; status?: string; orderId?: string };
  const related = { ...(r.id ? { productId: r.id } : {}), ...(r.orderId ? { orderId: r.orderId } : {}) };
  const d = (title: string): Described => ({
    source: 'asset',
    visibility: 'channel',
    entryType: snake(event.eventType),
    title,
    related,
  });
  switch (event.eventType) {
    case 'ProductCreateEvent':
      return d(`Product ${r.id} (${r.offeringId}) ${r.status ?? 'created'}`);
    case 'ProductStateChangeEvent':
      return d(`Product ${r.id} ${event.resource.previousStatus ?? '?'} → ${r.status ?? '?'}`);
    case 'ProductAttributeValueChangeEvent':
      return d(`Product ${r.id} changed (${event.resource.changedAttributes?.join(', ') ?? 'attributes'})`);
    default:
      return undefined;
  }
};

const describeEvent = (event: TypedSourceEvent): Described | undefined =>
  event.domain === 'quote' ? quoteEntry(event) : (orderEntry(event) ?? assetEntry(event));

/** Time, then the event id (unique): short, since a page's cursor carries one per stream. */
export const timelineKey = (e: SourceEvent): string => `${e.eventTime}#${e.eventId}`;

export const timelineEntryOf = (source: SourceEvent, now: string): TimelineEntry | undefined => {
  const event = typedEvent(source);
  const r = event?.resource as { accountId?: unknown; channelId?: unknown } | undefined;
  const accountId = typeof r?.accountId === 'string' ? r.accountId : undefined;
  const described = event && accountId ? describeEvent(event) : undefined;
  if (!event || !accountId || !described) return undefined;
  return {
    key: timelineKey(event),
    accountId,
    channelId: typeof r?.channelId === 'string' ? r.channelId : '',
    occurredAt: event.eventTime,
    entryType: described.entryType,
    title: described.title,
    timelineSource: described.source,
    visibility: described.visibility,
    source: {
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      aggregateVersion: event.aggregateVersion,
      eventId: event.eventId,
      eventType: event.eventType,
      at: event.eventTime,
    },
    related: described.related ?? {},
    freshness: freshnessAfter(undefined, source, now),
  };
};

export const entryStream = (entry: Pick<TimelineEntry, 'timelineSource' | 'visibility'>): TimelineStream =>
  streamOf(entry.timelineSource, entry.visibility);

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
