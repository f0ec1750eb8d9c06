import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conversionFunnel,
  emptyHourKeys,
  hourOf,
  orderDashboardGauges,
  quoteDashboardGauges,
  stateByAge,
} from '#domain/projections/dashboard-gauges';
import { type GaugeContribution, gaugeDelta } from '#domain/projections/gauges';
import type { OrderTrackingRow } from '#domain/projections/order-tracking';
import type { QuoteSummaryRow } from '#domain/projections/quote-summary';

const now = '2026-07-02T12:30:00.000Z';
const hoursBefore = (h: number) => new Date(Date.parse(now) - h * 3_600_000).toISOString();

const order = (o: Partial<OrderTrackingRow> = {}): OrderTrackingRow => ({
  orderId: 'o1',
  channelId: 'c',
  quoteId: 'q1',
  items: [],
  state: 'inProgress',
  stateSince: hoursBefore(1),
  tasks: {},
  repairs: {},
  applied: [],
  freshness: {} as OrderTrackingRow['freshness'],
  ...o,
});
const quote = (q: Partial<QuoteSummaryRow> = {}): QuoteSummaryRow => ({
  quoteId: 'q1',
  channelId: 'c',
  accountId: 'a',
  state: 'inProgress',
  validFor: { startDateTime: hoursBefore(3) },
  headerCursor: '',
  requests: {},
  applied: [],
  freshness: { sourceEventTime: hoursBefore(3) } as QuoteSummaryRow['freshness'],
  ...q,
});

const sum = (rows: GaugeContribution[]) => {
  const total: GaugeContribution = {};
  for (const g of rows) for (const [k, v] of Object.entries(g)) total[k] = (total[k] ?? 0) + v;
  return total;
};

const orderStates = ['acknowledged', 'inProgress', 'held', 'pendingCancellation', 'completed', 'cancelled'];
const arbOrder = fc
  .record({
    state: fc.constantFrom(...orderStates),
    ageHours: fc.integer({ min: 0, max: 24 * 40 }),
    fallout: fc.option(fc.constantFrom('provisioning', 'billing'), { nil: undefined }),
    retried: fc.array(fc.constantFrom('provisioning', 'billing', 'inventory'), { maxLength: 3 }),
  })
  .map((r) =>
    order({
      state: r.state,
      stateSince: hoursBefore(r.ageHours),
      ...(r.fallout
        ? { fallout: { reasonCode: 'X', ownerTeam: 'ops', nextAction: 'retry', since: now, taskId: 'f' } }
        : {}),
      tasks: Object.fromEntries([
        ...(r.fallout
          ? [['f', { taskId: 'f', type: 'T', downstream: r.fallout, state: 'FAILED', attempts: 3 }]]
          : []),
        ...r.retried.map((d, i) => [
          `r${i}`,
          { taskId: `r${i}`, type: 'T', downstream: d, state: 'PENDING', attempts: 2 },
        ]),
      ]) as OrderTrackingRow['tasks'],
    }),
  );

describe('dashboard gauges (requirements 003 §9, §19 rule 2)', () => {
  it('buckets every open order once by state and certain age, and never counts closed orders', () => {
    fc.assert(
      fc.property(fc.array(arbOrder, { maxLength: 30 }), (rows) => {
        const byState = stateByAge(sum(rows.map(orderDashboardGauges)), now);
        const open = rows.filter((r) => !['completed', 'cancelled'].includes(r.state));
        for (const state of orderStates) {
          const mine = open.filter((r) => r.state === state);
          const ages = mine.map((r) => (Date.parse(now) - Date.parse(r.stateSince!)) / 3_600_000);
          const shown = byState[state] ?? { under2h: 0, '2to24h': 0, over24h: 0 };
          expect(shown.under2h + shown['2to24h'] + shown.over24h).toBe(mine.length);
          // "older than 24 h" is never claimed for an order that is not; a day and an hour old always is.
          expect(shown.over24h).toBeLessThanOrEqual(ages.filter((a) => a > 24).length);
          expect(shown.over24h).toBeGreaterThanOrEqual(ages.filter((a) => a >= 25).length);
        }
      }),
    );
  });

  it('the deltas of any sequence of writes of one order sum to its last contribution', () => {
    fc.assert(
      fc.property(fc.array(arbOrder, { minLength: 1, maxLength: 10 }), (versions) => {
        const deltas = versions.map((r, i) =>
          gaugeDelta(i === 0 ? {} : orderDashboardGauges(versions[i - 1]!), orderDashboardGauges(r)),
        );
        const total = Object.fromEntries(Object.entries(sum(deltas)).filter(([, v]) => v !== 0));
        expect(total).toEqual(orderDashboardGauges(versions.at(-1)!));
      }),
    );
  });

  it('counts fallout by the downstream of the failed task and the retry backlog by downstream', () => {
    const g = orderDashboardGauges(
      order({
        state: 'held',
        fallout: {
          reasonCode: 'DOWNSTREAM_REJECTED',
          ownerTeam: 'net',
          nextAction: 'x',
          since: now,
          taskId: 't1',
        },
        tasks: {
          t1: {
            taskId: 't1',
            type: 'PROVISION',
            downstream: 'provisioning',
            state: 'FAILED',
            attempts: 3,
            cursor: '',
            at: now,
          },
          t2: {
            taskId: 't2',
            type: 'BILL',
            downstream: 'billing',
            state: 'PENDING',
            attempts: 2,
            cursor: '',
            at: now,
          },
          t3: {
            taskId: 't3',
            type: 'BILL',
            downstream: 'billing',
            state: 'DONE',
            attempts: 4,
            cursor: '',
            at: now,
          },
        },
      }),
    );
    expect(g).toMatchObject({ 'fd#provisioning': 1, 'rb#provisioning': 1, 'rb#billing': 1, 'sla#HIGH': 1 });
  });

  it('forecasts SLA breach from risk level and jeopardy of open orders only', () => {
    expect(orderDashboardGauges(order({ jeopardy: { type: 'atRisk', alertDate: now } }))).toMatchObject({
      'sla#MEDIUM': 1,
      'jp#atRisk': 1,
    });
    expect(
      Object.keys(
        orderDashboardGauges(order({ state: 'completed', jeopardy: { type: 'breached', alertDate: now } })),
      ),
    ).toEqual(['fn#ordered', 'fn#completed']);
  });

  it('puts a quote in every funnel stage it reached and a pending approval under each reason', () => {
    const pending = quote({
      state: 'pending',
      requests: { r1: { requestId: 'r1', reasonCodes: ['DISCOUNT', 'MARGIN'] } },
      approval: { status: 'PENDING', requestId: 'r1', at: now, cursor: '' },
    });
    expect(quoteDashboardGauges(pending)).toEqual({
      'fn#created': 1,
      'fn#submitted': 1,
      [`st#pending#${hourOf(hoursBefore(3))}`]: 1,
      'aq#DISCOUNT': 1,
      'aq#MARGIN': 1,
    });
    expect(quoteDashboardGauges(quote({ state: 'accepted' }))).toEqual({
      'fn#created': 1,
      'fn#submitted': 1,
      'fn#approved': 1,
      'fn#accepted': 1,
    });
    expect(
      quoteDashboardGauges(quote({ approval: { status: 'INVALIDATED', at: now, cursor: '' } })),
    ).toMatchObject({
      sa: 1,
    });
  });

  it('shows the funnel stages in order with their share of the quotes created', () => {
    const quotes = sum(
      [quote(), quote({ state: 'pending' }), quote({ state: 'accepted' }), quote({ state: 'accepted' })].map(
        quoteDashboardGauges,
      ),
    );
    const orders = sum([order(), order({ state: 'completed' })].map(orderDashboardGauges));
    expect(conversionFunnel(quotes, orders)).toEqual([
      { stage: 'created', count: 4, ofCreated: 100 },
      { stage: 'submitted', count: 3, ofCreated: 75 },
      { stage: 'approved', count: 2, ofCreated: 50 },
      { stage: 'accepted', count: 2, ofCreated: 50 },
      { stage: 'ordered', count: 2, ofCreated: 50 },
      { stage: 'completed', count: 1, ofCreated: 25 },
    ]);
    expect(conversionFunnel({}, {})[0]).toEqual({ stage: 'created', count: 0, ofCreated: null });
  });

  it('offers only emptied hours for removal', () => {
    expect(
      emptyHourKeys({ 'st#held#2026-07-01T10': 0, 'st#held#2026-07-01T11': 2, 'fd#x': 0, sa: 0 }),
    ).toEqual(['st#held#2026-07-01T10']);
  });
});
