import { type TimelineEntry, timelineEntryOf } from './account-timeline.ts';
import { orderDashboardGauges, quoteDashboardGauges } from './dashboard-gauges.ts';
import { falloutGaugePrefix, type GaugeContribution, unknownTasksGauge } from './gauges.ts';
import {
  applyOrderEvent,
  isOpenFallout,
  isOrderEvent,
  type OrderTrackingRow,
  orderRowParts,
} from './order-tracking.ts';
import {
  applyQuoteEvent,
  isExpiringCandidate,
  isQuoteEvent,
  pendingApprovalOf,
  type QuoteSummaryRow,
} from './quote-summary.ts';
import type { SourceEvent } from './source-event.ts';
import { orderSlaRiskKey, quoteWorklistKey, staleApprovalKey } from './worklists.ts';

/**
 * The read models and how each is keyed. Row views keep one row per source aggregate and a
 * `listKey` when the row belongs to the view's list (sparse index: rows that are not members
 * are not in the list at all). The timeline keeps one item per entry under the account.
 */
export type RowViewName =
  | 'order-tracking'
  | 'fallout'
  | 'approval-inbox'
  | 'expiring-quotes'
  | 'quote-worklist'
  | 'stale-approvals'
  | 'order-sla-risk';
export type ViewName = RowViewName | 'account-timeline';

export const viewNames: readonly ViewName[] = [
  'order-tracking',
  'fallout',
  'approval-inbox',
  'expiring-quotes',
  'quote-worklist',
  'stale-approvals',
  'order-sla-risk',
  'account-timeline',
];

export type RowView<R> = {
  name: RowViewName;
  source: 'QUOTE' | 'ORDER';
  handles: (event: SourceEvent) => boolean;
  apply: (row: R | undefined, event: SourceEvent, now: string) => R | undefined;
  /** Sort key of the row within the view's list; undefined: not listed. */
  listKey: (row: R) => string | undefined;
  channelOf: (row: R) => string;
  /** The seller whose own list the row is in, for views that keep one. */
  sellerOf?: (row: R) => string | undefined;
  /** What the row adds to the view's gauges (gauges.ts); absent: the view keeps none. */
  gauges?: (row: R) => GaugeContribution;
  /**
   * Entries of the row kept in items of their own (each with its `cursor`), written only when
   * they change; the row item holds `summary(row)`, what the view's list reads.
   */
  parts?: {
    of(row: R): Record<string, { cursor: string }>;
    summary(row: R): R;
    // Method syntax: a view's parts are of its own entry type.
    withParts(summary: R, parts: Record<string, unknown>): R;
  };
};

const orderView = (
  name: 'order-tracking' | 'fallout' | 'order-sla-risk',
  listKey: (row: OrderTrackingRow) => string | undefined,
  gauges?: (row: OrderTrackingRow) => GaugeContribution,
): RowView<OrderTrackingRow> => ({
  name,
  source: 'ORDER',
  handles: isOrderEvent,
  apply: applyOrderEvent,
  listKey,
  channelOf: (row) => row.channelId,
  ...(gauges ? { gauges } : {}),
  parts: orderRowParts,
});

const quoteView = (
  name: 'approval-inbox' | 'expiring-quotes' | 'quote-worklist' | 'stale-approvals',
  listKey: (row: QuoteSummaryRow) => string | undefined,
  gauges?: (row: QuoteSummaryRow) => GaugeContribution,
): RowView<QuoteSummaryRow> => ({
  name,
  source: 'QUOTE',
  handles: isQuoteEvent,
  apply: applyQuoteEvent,
  listKey,
  channelOf: (row) => row.channelId,
  ...(gauges ? { gauges } : {}),
});

export const rowViews = {
  'order-tracking': orderView(
    'order-tracking',
    (row) => `${row.orderDate ?? ''}#${row.orderId}`,
    (row) => ({
      [unknownTasksGauge]: Object.values(row.tasks).filter((t) => t.state === 'UNKNOWN').length,
      ...orderDashboardGauges(row),
    }),
  ),
  fallout: orderView(
    'fallout',
    (row) => (isOpenFallout(row) ? `${row.fallout!.since}#${row.orderId}` : undefined),
    (row) => (isOpenFallout(row) ? { [`${falloutGaugePrefix}${row.fallout!.reasonCode}`]: 1 } : {}),
  ),
  'approval-inbox': quoteView('approval-inbox', (row) => {
    const pending = pendingApprovalOf(row);
    return pending ? `${pending.dueAt ?? ''}#${row.quoteId}` : undefined;
  }),
  'expiring-quotes': quoteView('expiring-quotes', (row) =>
    isExpiringCandidate(row) ? `${row.validFor.endDateTime}#${row.quoteId}` : undefined,
  ),
  // Every quote has a summary row in each quote view: the worklist's gauge item keeps the quote dashboards'.
  'quote-worklist': {
    ...quoteView('quote-worklist', quoteWorklistKey, quoteDashboardGauges),
    sellerOf: (row: QuoteSummaryRow) => row.owner,
  },
  'stale-approvals': quoteView('stale-approvals', staleApprovalKey),
  'order-sla-risk': orderView('order-sla-risk', orderSlaRiskKey),
} as const;

// biome-ignore lint/suspicious/noExplicitAny: the registry is heterogeneous by design
export const rowViewOf = (name: RowViewName): RowView<any> => rowViews[name];

export const timelineView = {
  name: 'account-timeline' as const,
  handles: (event: SourceEvent) => timelineEntryOf(event, event.eventTime) !== undefined,
  entryOf: (event: SourceEvent, now: string): TimelineEntry | undefined => timelineEntryOf(event, now),
};

/** Which views an event feeds. */
export const viewsFor = (event: SourceEvent): ViewName[] =>
  viewNames.filter((name) =>
    name === 'account-timeline' ? timelineView.handles(event) : rowViewOf(name).handles(event),
  );

/** The row id within a row view: the source aggregate. */
export const rowIdOf = (event: SourceEvent): string => event.aggregateId;
