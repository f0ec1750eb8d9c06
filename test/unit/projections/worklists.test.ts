import { describe, expect, it } from 'vitest';
import { applyOrderEvent } from '#domain/projections/order-tracking';
import { applyQuoteEvent } from '#domain/projections/quote-summary';
import { rowViews } from '#domain/projections/views';
import {
  orderSlaRiskView,
  partnerOrderSlaRiskView,
  quoteWorklistView,
  staleApprovalView,
} from '#domain/projections/worklists';
import {
  at,
  ev,
  fold,
  heldOrderHistory,
  orderHistory,
  pendingQuoteHistory,
  quoteHistory,
} from './fixtures.ts';

const header = (id: string, state: string) => ({
  id,
  state,
  channelId: 'partner-a',
  accountId: 'acct-1',
  currency: 'USD',
  validFor: { startDateTime: at(0), endDateTime: at(60 * 24 * 5) },
});

/** Approved, then re-priced: the approval is invalidated and the quote is back in progress. */
const invalidatedHistory = () => [
  ...quoteHistory().slice(0, 6),
  ev('QUOTE', 'q-1', 6, 'QuoteApprovalInvalidatedEvent', {
    ...header('q-1', 'inProgress'),
    cause: 'PRICE_CHANGED',
    requestId: 'req-1',
  }),
];

describe('quote worklist', () => {
  it('lists open quotes newest activity first with the next action and blockers', () => {
    const pending = fold(applyQuoteEvent, pendingQuoteHistory())!;
    const older = fold(applyQuoteEvent, [
      ev('QUOTE', 'q-0', 1, 'QuoteCreateEvent', { ...header('q-0', 'inProgress'), lineCount: 1 }),
    ])!;
    const key = rowViews['quote-worklist'].listKey;
    expect(key(pending)! < key(older)!).toBe(true);
    expect(quoteWorklistView(pending, at(10))).toMatchObject({
      state: 'pending',
      blockers: ['APPROVAL_PENDING'],
      nextAction: 'AWAIT_APPROVAL',
      ageMs: 10 * 60_000,
    });
    expect(quoteWorklistView(older, at(10))).toMatchObject({ blockers: [], nextAction: 'PRICE_AND_SUBMIT' });
    expect(quoteWorklistView(pending, at(60 * 24 * 6)).blockers).toContain('EXPIRED');
  });

  it('drops a quote once it is accepted', () => {
    expect(rowViews['quote-worklist'].listKey(fold(applyQuoteEvent, quoteHistory())!)).toBeUndefined();
  });

  it('names an invalidated approval as the blocker', () => {
    const row = fold(applyQuoteEvent, invalidatedHistory())!;
    expect(quoteWorklistView(row, at(10))).toMatchObject({
      blockers: ['APPROVAL_INVALIDATED'],
      nextAction: 'REPRICE_AND_RESUBMIT',
    });
  });
});

describe('stale approvals', () => {
  it('lists an approval invalidated by a later change, with what and when', () => {
    const row = fold(applyQuoteEvent, invalidatedHistory())!;
    expect(rowViews['stale-approvals'].listKey(row)).toMatch(/#q-1$/);
    expect(staleApprovalView(row)).toMatchObject({
      quoteId: 'q-1',
      approvalRequestId: 'req-1',
      reasonCodes: ['DISCOUNT_ABOVE_FLOOR'],
      invalidatedBy: 'PRICE_CHANGED',
      invalidatedAt: at(6),
      quoteVersion: 6,
    });
  });

  it('does not list approvals still valid', () => {
    expect(
      rowViews['stale-approvals'].listKey(fold(applyQuoteEvent, pendingQuoteHistory())!),
    ).toBeUndefined();
    expect(
      rowViews['stale-approvals'].listKey(fold(applyQuoteEvent, quoteHistory().slice(0, 6))!),
    ).toBeUndefined();
  });
});

describe('order SLA risk', () => {
  it('ranks open orders by risk, then the older order first; closed orders leave the list', () => {
    const key = rowViews['order-sla-risk'].listKey;
    const held = fold(applyOrderEvent, heldOrderHistory())!;
    const progressing = fold(applyOrderEvent, orderHistory().slice(0, 5))!;
    const completed = fold(applyOrderEvent, orderHistory())!;
    expect(key(held)!.startsWith('0#')).toBe(true);
    expect(key(progressing)!.startsWith('2#')).toBe(true);
    expect(key(held)! < key(progressing)!).toBe(true);
    expect(key(completed)).toBeUndefined();
    const sameRiskLater = { ...progressing, orderId: 'o-2', orderDate: at(50) };
    expect(key(progressing)! < key(sameRiskLater)!).toBe(true);
  });

  it('gives partners the risk level only, never fallout, owners or reasons', () => {
    const held = fold(applyOrderEvent, heldOrderHistory())!;
    expect(orderSlaRiskView(held)).toMatchObject({
      slaRisk: { level: 'HIGH', reason: 'fallout DOWNSTREAM_REJECTED' },
      fallout: { ownerTeam: 'network-ops' },
    });
    const partner = partnerOrderSlaRiskView(held);
    expect(partner.slaRisk).toEqual({ level: 'HIGH' });
    expect(JSON.stringify(partner)).not.toMatch(/DOWNSTREAM_REJECTED|network-ops|ownerTeam|fallout|reason/);
  });
});
