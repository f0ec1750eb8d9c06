import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTimelineEvent } from '#domain/projections/account-timeline';
import {
  applyOrderEvent,
  falloutView,
  isOpenFallout,
  type OrderTrackingRow,
  orderTrackingView,
  slaRiskOf,
} from '#domain/projections/order-tracking';
import {
  applyQuoteEvent,
  approvalInboxView,
  isExpiringCandidate,
  pendingApprovalOf,
  type QuoteSummaryRow,
} from '#domain/projections/quote-summary';
import type { SourceEvent } from '#domain/projections/source-event';
import { contentChecksum } from '#domain/projections/source-event';
import { rowViews, viewsFor } from '#domain/projections/views';
import {
  at,
  ev,
  fold,
  heldOrderHistory,
  orderHistory,
  pendingQuoteHistory,
  quoteHistory,
} from './fixtures.ts';

/** Any order of the events, each delivered one to three times. */
const deliveries = (events: SourceEvent[]) =>
  fc
    .tuple(
      fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
      fc.array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: events.length * 2 }),
      fc.array(fc.nat(), { maxLength: events.length * 2 }),
    )
    .map(([shuffled, dupIdx, positions]) => {
      const out = [...shuffled];
      dupIdx.forEach((i, k) => {
        out.splice((positions[k] ?? 0) % (out.length + 1), 0, events[i]!);
      });
      return out;
    });

const histories: [string, () => SourceEvent[]][] = [
  ['full quote', quoteHistory],
  ['pending quote', pendingQuoteHistory],
];
const orderHistories: [string, () => SourceEvent[]][] = [
  ['completed order', orderHistory],
  ['held order', heldOrderHistory],
];

describe('quote summary reducer (approval inbox, expiring quotes)', () => {
  it('follows the quote through its lifecycle', () => {
    const pending = fold(applyQuoteEvent, pendingQuoteHistory())!;
    expect(pending.state).toBe('pending');
    expect(pendingApprovalOf(pending)).toMatchObject({
      requestId: 'req-1',
      reasonCodes: ['DISCOUNT_ABOVE_FLOOR'],
    });
    expect(approvalInboxView(pending)).toMatchObject({
      submittedAt: at(3),
      dueAt: at(3 + 24 * 60),
      status: 'PENDING',
    });
    expect(isExpiringCandidate(pending)).toBe(true);
    expect(rowViews['approval-inbox'].listKey(pending)).toBe(`${at(3 + 24 * 60)}#q-1`);
    const accepted = fold(applyQuoteEvent, quoteHistory())!;
    expect(accepted.state).toBe('accepted');
    expect(pendingApprovalOf(accepted)).toBeUndefined();
    expect(rowViews['approval-inbox'].listKey(accepted)).toBeUndefined();
    expect(rowViews['expiring-quotes'].listKey(accepted)).toBeUndefined();
    expect(accepted.freshness.sourceVersion).toBe(5);
    expect(accepted.freshness.lagMs).toBe(Date.parse(at(100)) - Date.parse(at(5)));
  });

  it('skips an event id already applied (returns the same row)', () => {
    const events = quoteHistory();
    const row = fold(applyQuoteEvent, events)!;
    for (const e of events) expect(applyQuoteEvent(row, e, at(200))).toBe(row);
  });

  it('an older event never regresses a newer row', () => {
    const [create, , , , , approved] = quoteHistory();
    const row = applyQuoteEvent(undefined, approved!, at(10))!;
    const after = applyQuoteEvent(row, create!, at(11))!;
    expect(after.state).toBe('approved');
    expect(after.freshness).toEqual(row.freshness);
  });

  it('ignores events of other aggregates', () => {
    expect(applyQuoteEvent(undefined, orderHistory()[0]!, at(1))).toBeUndefined();
  });

  for (const [name, history] of histories) {
    it(`${name}: any permutation and duplication gives the row of one in-order pass`, () => {
      const events = history();
      const expected = fold(applyQuoteEvent, events);
      fc.assert(
        fc.property(deliveries(events), (delivered) => {
          expect(fold(applyQuoteEvent, delivered)).toEqual(expected);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('any prefix delivered out of order equals the in-order prefix', () => {
    const events = quoteHistory();
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: events.length })
          .chain((n) => fc.tuple(fc.constant(n), deliveries(events.slice(0, n)))),
        ([n, delivered]) => {
          expect(fold(applyQuoteEvent, delivered)).toEqual(fold(applyQuoteEvent, events.slice(0, n)));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('order tracking reducer (order tracking, fallout)', () => {
  it('projects order, items, tasks, billing handoff and SLA risk', () => {
    const row = fold(applyOrderEvent, orderHistory())!;
    const view = orderTrackingView(row, at(100));
    expect(view.state).toBe('completed');
    expect(view.items).toEqual([
      {
        id: 'item-1',
        quoteItemId: 'line-1',
        offeringId: 'off-fiber-1g',
        quantity: 1,
        state: 'completed',
        fulfillmentMilestone: 'COMPLETED',
        blockingTaskId: null,
        waitingFor: [],
      },
    ]);
    expect(view.tasks.find((t) => t.taskId === 't-1')).toMatchObject({
      type: 'ACCESS_PROVISION',
      downstream: 'provisioning',
      state: 'DONE',
      attempts: 2,
      correlationId: 'ful-t-1',
      ownerTeam: 'network-ops',
    });
    expect(view.billingHandoff).toMatchObject({ state: 'DONE' });
    expect(view.slaRisk.level).toBe('NONE');
    expect(view.fallout).toBeNull();
    expect(Object.keys(row.repairs)).toEqual(['rep-1']);
    expect(view.freshness.sourceVersion).toBe(7);
  });

  it('carries the highest jeopardy level into the SLA risk; an older at-risk alert never lowers a breach', () => {
    const open = orderHistory().slice(0, 4);
    const alert = (version: number, jeopardyType: string) =>
      ev('ORDER', 'o-1', version, 'ProductOrderJeopardyEvent', {
        id: 'o-1',
        state: 'inProgress',
        channelId: 'partner-a',
        jeopardyAlert: { jeopardyType, alertDate: at(version), owner: 'network-ops', nextAction: 'Expedite' },
      });
    const atRisk = fold(applyOrderEvent, [...open, alert(20, 'atRisk')])!;
    expect(slaRiskOf(atRisk)).toEqual({ level: 'MEDIUM', reason: 'expected completion at risk' });
    const breached = fold(applyOrderEvent, [...open, alert(21, 'breached'), alert(20, 'atRisk')])!;
    expect(breached.jeopardy).toMatchObject({
      type: 'breached',
      owner: 'network-ops',
      nextAction: 'Expedite',
    });
    expect(slaRiskOf(breached).level).toBe('HIGH');
  });

  it('shows an open fallout with reason, owner team, next action and age computed at read', () => {
    const row = fold(applyOrderEvent, heldOrderHistory())!;
    expect(isOpenFallout(row)).toBe(true);
    expect(slaRiskOf(row).level).toBe('HIGH');
    const f = falloutView(row, at(66));
    expect(f).toMatchObject({
      reasonCode: 'DOWNSTREAM_REJECTED',
      ownerTeam: 'network-ops',
      nextAction: 'Correct the service parameters and retry',
      ageMs: 60 * 60_000,
      task: { type: 'ACCESS_PROVISION', state: 'FAILED', lastErrorCode: 'MISSING_PARAM' },
    });
    expect(rowViews.fallout.listKey(row)).toBe(`${at(6)}#o-1`);
    const repaired = fold(applyOrderEvent, orderHistory().slice(0, 10))!;
    expect(isOpenFallout(repaired)).toBe(false);
    expect(rowViews.fallout.listKey(repaired)).toBeUndefined();
  });

  it('a task event delivered late still updates its task but not the newer order state', () => {
    const events = orderHistory();
    const withoutT1Done = events.filter((e) => !(e.aggregateVersion === 6));
    const row = fold(applyOrderEvent, withoutT1Done)!;
    expect(row.state).toBe('completed');
    expect(row.tasks['t-1']!.state).toBe('FAILED');
    const late = applyOrderEvent(row, events.find((e) => e.aggregateVersion === 6)!, at(100))!;
    expect(late.tasks['t-1']!.state).toBe('DONE');
    expect(late.state).toBe('completed');
  });

  it('within one version, a state change wins over the create whatever the event ids', () => {
    const [create] = orderHistory();
    const change = { ...orderHistory()[7]!, aggregateVersion: 1 };
    for (const ids of [
      ['evt-a', 'evt-z'],
      ['evt-z', 'evt-a'],
    ]) {
      const events = [
        { ...create!, eventId: ids[0]! },
        { ...change, eventId: ids[1]! },
      ];
      expect(fold(applyOrderEvent, events)!.state).toBe('held');
      expect(fold(applyOrderEvent, [...events].reverse())!.state).toBe('held');
    }
  });

  for (const [name, history] of orderHistories) {
    it(`${name}: any permutation and duplication gives the row of one in-order pass`, () => {
      const events = history();
      const expected = fold(applyOrderEvent, events);
      fc.assert(
        fc.property(deliveries(events), (delivered) => {
          const row = fold<OrderTrackingRow>(applyOrderEvent, delivered);
          expect(row).toEqual(expected);
          expect(contentChecksum(row as never)).toBe(contentChecksum(expected as never));
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('account timeline', () => {
  it('orders entries by time with their source identity, quote and order alike', () => {
    const entries = fold(applyTimelineEvent, [...quoteHistory(), ...orderHistory()])!;
    expect(entries.map((e) => e.entryType)).toContain('ORDER_FALLOUT');
    expect(entries.every((e, i) => i === 0 || entries[i - 1]!.key < e.key)).toBe(true);
    expect(entries.find((e) => e.source.aggregateType === 'QUOTE')!.source).toMatchObject({
      aggregateType: 'QUOTE',
      aggregateId: 'q-1',
      aggregateVersion: 1,
      eventType: 'QuoteCreateEvent',
    });
    // Task-level events carry no account id: they are not timeline entries.
    expect(entries.some((e) => e.source.eventType === 'FulfillmentTaskStateChangeEvent')).toBe(false);
  });

  it('any permutation and duplication gives the same timeline', () => {
    const events = [...quoteHistory(), ...orderHistory()];
    const expected = fold(applyTimelineEvent, events);
    fc.assert(
      fc.property(deliveries(events), (delivered) => {
        expect(fold(applyTimelineEvent, delivered)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('view routing', () => {
  it('sends quote events to the quote views and the timeline, task events to the order views only', () => {
    const [quoteCreate] = quoteHistory();
    const orderEvents = orderHistory();
    expect(viewsFor(quoteCreate!)).toEqual([
      'approval-inbox',
      'expiring-quotes',
      'quote-worklist',
      'stale-approvals',
      'account-timeline',
    ]);
    expect(viewsFor(orderEvents[0]!)).toEqual([
      'order-tracking',
      'fallout',
      'order-sla-risk',
      'account-timeline',
    ]);
    expect(viewsFor(orderEvents[3]!)).toEqual(['order-tracking', 'fallout', 'order-sla-risk']);
  });

  it('quote row type stays assignable', () => {
    const row: QuoteSummaryRow | undefined = fold(applyQuoteEvent, quoteHistory());
    expect(row?.quoteId).toBe('q-1');
  });
});
