import {
  type OrderTrackingRow,
  promisedCompletionOf,
  publicFreshness,
  type SlaRisk,
  slaRiskOf,
} from './order-tracking.ts';
import type { QuoteSummaryRow } from './quote-summary.ts';

/**
 * The seller, approver and ops worklists (requirements 003 §13 QuoteWorklistView,
 * StaleApprovalView, OrderSlaRiskView), derived from the quote summary and order tracking rows
 * the projector already keeps: only the list key and the row shape are theirs.
 */

const openQuoteStates = new Set(['inProgress', 'pending', 'approved']);

/** Newest first on an oldest-first index: the sort key counts down from the end of time. */
const newestFirst = (iso: string | undefined): string =>
  String(9_999_999_999_999 - (Date.parse(iso ?? '') || 0)).padStart(13, '0');

export const quoteWorklistKey = (row: QuoteSummaryRow): string | undefined =>
  openQuoteStates.has(row.state) ? `${newestFirst(row.freshness.sourceEventTime)}#${row.quoteId}` : undefined;

export type QuoteBlocker = 'APPROVAL_PENDING' | 'APPROVAL_INVALIDATED' | 'EXPIRED';

/** What stops the quote from moving on, and the seller's next step. Computed when read (expiry). */
export const quoteWorkOf = (row: QuoteSummaryRow, now: string) => {
  const blockers: QuoteBlocker[] = [];
  const end = row.validFor.endDateTime;
  if (end && Date.parse(end) <= Date.parse(now)) blockers.push('EXPIRED');
  if (row.approval?.status === 'INVALIDATED') blockers.push('APPROVAL_INVALIDATED');
  if (row.state === 'pending' && row.approval?.status === 'PENDING') blockers.push('APPROVAL_PENDING');
  const nextAction = blockers.includes('EXPIRED')
    ? 'REVISE'
    : blockers.includes('APPROVAL_INVALIDATED')
      ? 'REPRICE_AND_RESUBMIT'
      : row.state === 'inProgress'
        ? 'PRICE_AND_SUBMIT'
        : row.state === 'pending'
          ? 'AWAIT_APPROVAL'
          : 'ACCEPT';
  return { blockers, nextAction };
};

const quoteFreshness = (row: QuoteSummaryRow) => publicFreshness(row.freshness);

/** A row of `GET /views/quote-worklist`. */
export const quoteWorklistView = (row: QuoteSummaryRow, now: string) => {
  const since = row.validFor.startDateTime;
  return {
    quoteId: row.quoteId,
    accountId: row.accountId,
    channelId: row.channelId,
    owner: row.owner ?? null,
    customerName: row.customer?.name ?? null,
    state: row.state,
    ageMs: since ? Math.max(0, Date.parse(now) - Date.parse(since)) : null,
    lastActivityAt: row.freshness.sourceEventTime,
    ...quoteWorkOf(row, now),
    validFor: row.validFor,
    freshness: quoteFreshness(row),
  };
};

/** Listed while the quote's last approval was invalidated by a later change and not yet redone. */
export const staleApprovalKey = (row: QuoteSummaryRow): string | undefined =>
  row.approval?.status === 'INVALIDATED' && openQuoteStates.has(row.state)
    ? `${newestFirst(row.approval.at)}#${row.quoteId}`
    : undefined;

/** A row of `GET /views/stale-approvals`. */
export const staleApprovalView = (row: QuoteSummaryRow) => {
  const approval = row.approval!;
  const request = approval.requestId ? row.requests[approval.requestId] : undefined;
  return {
    quoteId: row.quoteId,
    accountId: row.accountId,
    channelId: row.channelId,
    state: row.state,
    approvalRequestId: approval.requestId ?? null,
    reasonCodes: request?.reasonCodes ?? [],
    invalidatedBy: approval.cause ?? 'UNKNOWN',
    invalidatedAt: approval.at,
    quoteVersion: row.freshness.sourceVersion,
    freshness: quoteFreshness(row),
  };
};

const riskRank: Record<SlaRisk, string> = { HIGH: '0', MEDIUM: '1', LOW: '2', NONE: '9' };

/**
 * The date an order is due by: what the catalog's lead times promise for its items, else what
 * the customer asked for, else its order date (orders created before promises were recorded).
 */
export const dueDateOf = (row: OrderTrackingRow): string =>
  promisedCompletionOf(row) ?? row.requestedCompletionDate ?? row.orderDate ?? '';

/** Open orders, highest risk first, then the earliest due first. */
export const orderSlaRiskKey = (row: OrderTrackingRow): string | undefined => {
  const risk = slaRiskOf(row);
  if (risk.level === 'NONE') return undefined;
  return `${riskRank[risk.level]}#${dueDateOf(row)}#${row.orderId}`;
};

const dueDates = (row: OrderTrackingRow) => ({
  promisedCompletionAt: promisedCompletionOf(row) ?? null,
  requestedCompletionDate: row.requestedCompletionDate ?? null,
});

/** A row of `GET /views/order-sla-risk` for staff. */
export const orderSlaRiskView = (row: OrderTrackingRow) => ({
  orderId: row.orderId,
  channelId: row.channelId,
  accountId: row.accountId,
  quoteId: row.quoteId,
  state: row.state,
  stateSince: row.stateSince,
  orderDate: row.orderDate,
  ...dueDates(row),
  slaRisk: slaRiskOf(row),
  jeopardy: row.jeopardy ?? null,
  fallout: row.fallout ? { reasonCode: row.fallout.reasonCode, ownerTeam: row.fallout.ownerTeam } : null,
  freshness: publicFreshness(row.freshness),
});

/** What a partner reads: its order's states, dates and risk level; no reasons, owners or fallout. */
export const partnerOrderSlaRiskView = (row: OrderTrackingRow) => ({
  orderId: row.orderId,
  channelId: row.channelId,
  accountId: row.accountId,
  quoteId: row.quoteId,
  state: row.state,
  stateSince: row.stateSince,
  orderDate: row.orderDate,
  ...dueDates(row),
  slaRisk: { level: slaRiskOf(row).level },
  ...(row.jeopardy ? { jeopardy: { type: row.jeopardy.type, alertDate: row.jeopardy.alertDate } } : {}),
  freshness: publicFreshness(row.freshness),
});
