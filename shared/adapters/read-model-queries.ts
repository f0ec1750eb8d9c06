import type { TimelineEntry } from '#domain/projections/account-timeline';
import type { OrderTrackingRow } from '#domain/projections/order-tracking';
import type { QuoteSummaryRow } from '#domain/projections/quote-summary';
import type { RowViewName } from '#domain/projections/views';
import { type ListRange, listRows, loadPointer, loadRow, loadTimeline } from './read-model-store.ts';

/** Reads always go to the active projection version; every list reads one page. */
export type ViewPage<R> = { rows: R[]; next?: string };
export type PageRequest = { limit: number; after?: string; channelId?: string };

export const readOrderTracking = async (orderId: string): Promise<OrderTrackingRow | undefined> => {
  const { active } = await loadPointer('order-tracking');
  return (await loadRow<OrderTrackingRow>('order-tracking', active, orderId, false))?.row;
};

const page = async <R>(view: RowViewName, range: ListRange): Promise<ViewPage<R>> => {
  const { active } = await loadPointer(view);
  return listRows<R>(view, active, range);
};

export const readFallout = (req: PageRequest) => page<OrderTrackingRow>('fallout', req);

export const readApprovalInbox = (req: PageRequest) => page<QuoteSummaryRow>('approval-inbox', req);

/** Quotes (approved or pending) whose validity ends between now and now + withinDays. */
export const readExpiringQuotes = (now: string, withinDays: number, req: PageRequest) => {
  const to = new Date(Date.parse(now) + withinDays * 86_400_000).toISOString();
  return page<QuoteSummaryRow>('expiring-quotes', { ...req, from: now, to: `${to}#\uffff` });
};

export const readTimeline = async (
  accountRef: string,
  req: PageRequest,
): Promise<{ entries: TimelineEntry[]; next?: string }> => {
  const { active } = await loadPointer('account-timeline');
  return loadTimeline(active, accountRef, { limit: req.limit, ...(req.after ? { after: req.after } : {}) });
};
