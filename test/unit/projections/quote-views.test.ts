import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyQuoteEvent,
  approvalInboxView,
  conversionOf,
  expiringQuoteView,
  type QuoteSummaryRow,
} from '#domain/projections/quote-summary';
import type { SourceEvent } from '#domain/projections/source-event';
import { rowViews } from '#domain/projections/views';
import { quoteWorklistView } from '#domain/projections/worklists';
import { totalContractValueMinor } from '#domain/quote/contract-value';
import { at, ev, fold } from './fixtures.ts';

const header = (state: string, extra: Record<string, unknown> = {}) => ({
  id: 'q-7',
  state,
  channelId: 'partner-a',
  accountId: 'acct-7',
  currency: 'USD',
  customer: { name: 'Acme Manufacturing', segment: 'Enterprise', region: 'APAC' },
  owner: 'seller-1',
  validFor: { startDateTime: at(0), endDateTime: at(60 * 24 * 5) },
  ...extra,
});

/** create → price (pb-1) → submit with the §5.1 commercial summary. */
const submitted = (): SourceEvent[] => [
  ev('QUOTE', 'q-7', 1, 'QuoteCreateEvent', { ...header('inProgress'), lineCount: 2 }),
  ev('QUOTE', 'q-7', 2, 'QuoteAttributeValueChangeEvent', {
    ...header('inProgress', { priceBookVersion: 'pb-1' }),
    changedAttributes: ['price'],
  }),
  ev('QUOTE', 'q-7', 3, 'QuoteStateChangeEvent', {
    ...header('pending', { priceBookVersion: 'pb-1' }),
    previousState: 'inProgress',
  }),
  ev('QUOTE', 'q-7', 3, 'QuoteApprovalRequestedEvent', {
    ...header('pending', { priceBookVersion: 'pb-1' }),
    approvalRequest: {
      id: 'req-7',
      reasonCodes: ['DISCOUNT_ABOVE_FLOOR'],
      policyVersion: 'deal-policy-1',
      submittedAt: at(3),
      dueAt: at(3 + 24 * 60),
      maxDiscountPercent: 25,
      requestedBy: 'seller-1',
      totalContractValueMinor: 125_000_000,
    },
  }),
];

const approved = (): SourceEvent[] => [
  ...submitted(),
  ev('QUOTE', 'q-7', 4, 'QuoteApprovalDecidedEvent', {
    ...header('approved', { priceBookVersion: 'pb-1' }),
    approvalDecision: { id: 'dec-7', requestId: 'req-7', decision: 'APPROVE', at: at(4) },
  }),
  ev('QUOTE', 'q-7', 4, 'QuoteStateChangeEvent', {
    ...header('approved', { priceBookVersion: 'pb-1' }),
    previousState: 'pending',
  }),
];

describe('approval inbox (requirements 003 §5.1)', () => {
  it('shows who must act, why, how urgent and the commercial risk, with the quote revision', () => {
    const row = fold(applyQuoteEvent, submitted())!;
    expect(approvalInboxView(row)).toMatchObject({
      approvalRequestId: 'req-7',
      quoteId: 'q-7',
      quoteNumber: 'q-7',
      quoteRevision: 3,
      customerName: 'Acme Manufacturing',
      accountSegment: 'Enterprise',
      region: 'APAC',
      totalContractValueMinor: 125_000_000,
      currency: 'USD',
      maxDiscountPercent: 25,
      requestedBy: 'seller-1',
      currentApprover: { role: 'approver', minimumApprovalLimitPercent: 25 },
      reasonCodes: ['DISCOUNT_ABOVE_FLOOR'],
      policyVersion: 'deal-policy-1',
      dueAt: at(3 + 24 * 60),
      status: 'PENDING',
    });
  });

  it('gives the same row for any delivery order and duplicates of its events', () => {
    const events = submitted();
    const expected = fold(applyQuoteEvent, events)!;
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.nat(events.length - 1), { maxLength: 3 }),
        (order, dups) => {
          const row = fold(applyQuoteEvent, [...order, ...dups.map((i) => events[i]!)])!;
          expect(approvalInboxView(row)).toEqual(approvalInboxView(expected));
        },
      ),
    );
  });

  it('answers null for fields the events of older quotes did not carry', () => {
    const events = submitted().map((e) =>
      e.eventType === 'QuoteApprovalRequestedEvent'
        ? {
            ...e,
            resource: {
              ...e.resource,
              customer: { name: 'Acme Manufacturing' },
              approvalRequest: { id: 'req-7', reasonCodes: [], submittedAt: at(3), dueAt: at(9) },
            },
          }
        : e,
    );
    expect(approvalInboxView(fold(applyQuoteEvent, events)!)).toMatchObject({
      accountSegment: null,
      totalContractValueMinor: null,
      maxDiscountPercent: null,
      requestedBy: null,
      currentApprover: { role: 'approver', minimumApprovalLimitPercent: null },
    });
  });
});

describe('quote worklist per seller', () => {
  it("lists the quote in its owner's own part of the channel's list", () => {
    const row = fold(applyQuoteEvent, submitted())!;
    expect(rowViews['quote-worklist'].sellerOf?.(row)).toBe('seller-1');
    expect(quoteWorklistView(row, at(10))).toMatchObject({
      owner: 'seller-1',
      customerName: 'Acme Manufacturing',
    });
  });
});

describe('expiring quotes', () => {
  it('shows owner, revision, approval age, stale price and conversion eligibility', () => {
    const row = fold(applyQuoteEvent, approved())!;
    expect(expiringQuoteView(row, at(64), 'pb-1')).toMatchObject({
      owner: 'seller-1',
      revision: 4,
      approval: { status: 'APPROVED', at: at(4), ageMs: 60 * 60_000 },
      priceBookVersion: 'pb-1',
      stalePrice: false,
      conversion: { eligible: true, blockers: [] },
    });
    expect(expiringQuoteView(row, at(64), 'pb-2')).toMatchObject({
      stalePrice: true,
      conversion: { eligible: false, blockers: ['PRICE_STALE'] },
    });
    expect(expiringQuoteView(row, at(64)).stalePrice).toBeNull();
  });

  it('drops the price book when a change of lines drops the price', () => {
    const row = fold(applyQuoteEvent, [
      ...submitted(),
      ev('QUOTE', 'q-7', 4, 'QuoteAttributeValueChangeEvent', {
        ...header('inProgress'),
        changedAttributes: ['lines'],
      }),
    ])!;
    expect(row.priceBookVersion).toBeUndefined();
  });

  it('is eligible for conversion exactly when approved, within validity and not stale', () => {
    const base = fold(applyQuoteEvent, approved())! as QuoteSummaryRow;
    fc.assert(
      fc.property(
        fc.constantFrom('inProgress', 'pending', 'approved', 'accepted'),
        fc.integer({ min: -10_000, max: 10_000 }),
        fc.constantFrom(true, false, null),
        (state, minutesLeft, stale) => {
          const now = at(1_000);
          const row = {
            ...base,
            state,
            validFor: { ...base.validFor, endDateTime: at(1_000 + minutesLeft) },
          };
          const { eligible, blockers } = conversionOf(row, now, stale);
          expect(eligible).toBe(state === 'approved' && minutesLeft > 0 && stale !== true);
          expect(blockers.includes('EXPIRED')).toBe(minutesLeft <= 0);
          expect(blockers.includes('PRICE_STALE')).toBe(stale === true);
        },
      ),
    );
  });
});

describe('total contract value', () => {
  const snapshotLine = (lineId: string, netOneTime: number, netRecurring: number) =>
    ({ lineId, netOneTime, netRecurring }) as never;

  it('adds one-time charges and each line recurring charge over its term (12 months without one)', () => {
    expect(
      totalContractValueMinor({
        lines: [
          { lineId: 'l1', options: { term: 36 } },
          { lineId: 'l2', options: {} },
        ] as never,
        priceSnapshot: { lines: [snapshotLine('l1', 50_000, 10_000), snapshotLine('l2', 0, 2_000)] } as never,
      }),
    ).toBe(50_000 + 36 * 10_000 + 12 * 2_000);
    expect(totalContractValueMinor({ lines: [], priceSnapshot: undefined })).toBeUndefined();
  });
});
