import type { TimelineEntry, TimelineStream } from '#domain/projections/account-timeline';
import type { OrderTrackingRow } from '#domain/projections/order-tracking';
import type { QuoteSummaryRow } from '#domain/projections/quote-summary';
import type { TimelinePosition } from '#domain/projections/timeline-pages';
import { type ProjectionIdentity, projectionIdentity } from '#domain/projections/view-catalog';
import type { RowViewName, ViewName } from '#domain/projections/views';
import {
  type ListRange,
  listRows,
  loadPointer,
  loadRow,
  loadTimeline,
  type Pointer,
} from './read-model-store.ts';

/**
 * Reads always go to the active projection version; every list reads one page. Each answer names
 * the projection that gave it (name, stored version, schema and projector version).
 */
export type ViewPage<R> = { rows: R[]; next?: string; projection: ProjectionIdentity };

const identityOf = (view: ViewName, pointer: Pointer) =>
  projectionIdentity(view, pointer.active, pointer.schemas?.[String(pointer.active)]);
export type PageRequest = { limit: number; after?: string; channelId?: string };

export const readOrderTracking = async (
  orderId: string,
): Promise<{ row: OrderTrackingRow; projection: ProjectionIdentity } | undefined> => {
  const pointer = await loadPointer('order-tracking');
  const row = (await loadRow<OrderTrackingRow>('order-tracking', pointer.active, orderId, false))?.row;
  return row && { row, projection: identityOf('order-tracking', pointer) };
};

const page = async <R>(view: RowViewName, range: ListRange): Promise<ViewPage<R>> => {
  const pointer = await loadPointer(view);
  return { ...(await listRows<R>(view, pointer.active, range)), projection: identityOf(view, pointer) };
};

export const readFallout = (req: PageRequest) => page<OrderTrackingRow>('fallout', req);

export const readApprovalInbox = (req: PageRequest) => page<QuoteSummaryRow>('approval-inbox', req);

export const readQuoteWorklist = (req: PageRequest) => page<QuoteSummaryRow>('quote-worklist', req);

export const readStaleApprovals = (req: PageRequest) => page<QuoteSummaryRow>('stale-approvals', req);

export const readOrderSlaRisk = (req: PageRequest) => page<OrderTrackingRow>('order-sla-risk', req);

/** Quotes (approved or pending) whose validity ends between now and now + withinDays. */
export const readExpiringQuotes = (now: string, withinDays: number, req: PageRequest) => {
  const to = new Date(Date.parse(now) + withinDays * 86_400_000).toISOString();
  return page<QuoteSummaryRow>('expiring-quotes', { ...req, from: now, to: `${to}#\uffff` });
};

export const readTimeline = async (
  accountRef: string,
  req: { limit: number; after?: TimelinePosition; streams: TimelineStream[] },
): Promise<{ entries: TimelineEntry[]; next?: TimelinePosition; projection: ProjectionIdentity }> => {
  const pointer = await loadPointer('account-timeline');
  return {
    ...(await loadTimeline(pointer.active, accountRef, req)),
    projection: identityOf('account-timeline', pointer),
  };
};
