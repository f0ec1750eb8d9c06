import type { TimelineEntry } from '#domain/projections/account-timeline';
import type { OrderTrackingRow } from '#domain/projections/order-tracking';
import type { QuoteSummaryRow } from '#domain/projections/quote-summary';
import { listRows, loadPointer, loadRow, loadTimeline } from './read-model-store.ts';

/** Reads always go to the active projection version. */
export const readOrderTracking = async (orderId: string): Promise<OrderTrackingRow | undefined> => {
  const { active } = await loadPointer('order-tracking');
  return (await loadRow<OrderTrackingRow>('order-tracking', active, orderId, false))?.row;
};

export const readOrders = async (): Promise<OrderTrackingRow[]> => {
  const { active } = await loadPointer('order-tracking');
  return listRows<OrderTrackingRow>('order-tracking', active);
};

export const readFallout = async (): Promise<OrderTrackingRow[]> => {
  const { active } = await loadPointer('fallout');
  return listRows<OrderTrackingRow>('fallout', active);
};

export const readApprovalInbox = async (): Promise<QuoteSummaryRow[]> => {
  const { active } = await loadPointer('approval-inbox');
  return listRows<QuoteSummaryRow>('approval-inbox', active);
};

/** Quotes (approved or pending) whose validity ends between now and now + withinDays. */
export const readExpiringQuotes = async (now: string, withinDays: number): Promise<QuoteSummaryRow[]> => {
  const { active } = await loadPointer('expiring-quotes');
  const to = new Date(Date.parse(now) + withinDays * 86_400_000).toISOString();
  return listRows<QuoteSummaryRow>('expiring-quotes', active, { from: now, to: `${to}#\uffff` });
};

export const readTimeline = async (accountId: string): Promise<TimelineEntry[]> => {
  const { active } = await loadPointer('account-timeline');
  return loadTimeline(active, accountId);
};
