import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveAggregate } from '#adapters/aggregate-store';
import { widgets as catalog } from '#widgets';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { acceptedFiberQuote, createOrder, orderInState } from '../support/order-flow.ts';
import { plantFallout } from '../support/planted-fallout.ts';
import { quoteBody } from '../support/quote-flow.ts';
import { useStackTables } from '../support/stack-tables.ts';

/**
 * The widgets of requirements 003 §9 through the real path: an order written to the aggregate
 * store, projected by the stack's projector into the gauge items, read by `GET /ops/dashboard`
 * and emitted by the signal sampler into the metrics sink the alarms and dashboards use.
 */
const api = client();
const ops = { token: 'local-ops' };
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

type Widget = (typeof catalog)[number] & {
  value: number | null;
  asOf: string | null;
  split?: Record<string, number>;
  detail?: any;
};

beforeAll(useStackTables);

const widgets = async (): Promise<Record<string, Widget>> => {
  const r = await api.get('/ops/dashboard', ops);
  expect(r.status).toBe(200);
  return Object.fromEntries((r.body.widgets as Widget[]).map((w) => [w.id, w]));
};
const localMetrics = async () =>
  (await api.get('/ops/local/metrics', ops)).body.signals as Record<
    string,
    { lastHour: number | null; byBreakdown?: Record<string, number> }
  >;

/** An order held for 30 h on a provisioning fallout, with a billing task retried meanwhile. */
const plantStuckOrder = () =>
  plantFallout({
    reasonCode: 'DOWNSTREAM_REJECTED',
    since: hoursAgo(30),
    nextAction: 'fix',
    tasks: [
      { taskId: 't1', downstream: 'provisioning', state: 'FAILED', attempts: 3 },
      { taskId: 't2', downstream: 'billing', state: 'PENDING', attempts: 2 },
    ],
  });

describe('ops dashboard widgets (requirements 003 §9)', () => {
  it('answers every widget with its decision, owner and freshness, in catalog order', async () => {
    const r = await api.get('/ops/dashboard', ops);
    expect((r.body.widgets as Widget[]).map((w) => w.id)).toEqual(catalog.map((w) => w.id));
    for (const w of r.body.widgets as Widget[])
      expect(w, w.id).toMatchObject({
        decision: expect.any(String),
        ownerTeam: expect.any(String),
        freshness: expect.stringMatching(/as of/),
      });
    for (const [name, d] of Object.entries(r.body.dashboards as Record<string, { widgets: string[] }>))
      expect(d.widgets, name).toEqual(catalog.filter((w) => w.dashboard === name).map((w) => w.id));
  });

  it('a stuck order shows in state × age, fallout by downstream, retry backlog and the SLA forecast, and in the metrics', async () => {
    const before = await widgets();
    const count = (w: Widget | undefined, key: string) => w?.split?.[key] ?? 0;
    await plantStuckOrder();
    const after = await eventually(async () => {
      const w = await widgets();
      return count(w.OrdersByStateAge, 'held|over24h') > count(before.OrdersByStateAge, 'held|over24h') &&
        count(w.RetryBacklog, 'billing') > count(before.RetryBacklog, 'billing')
        ? w
        : undefined;
    });
    expect(after.OrdersByStateAge!.detail.byState.held.over24h).toBeGreaterThanOrEqual(1);
    expect(count(after.FalloutByDownstream, 'provisioning')).toBeGreaterThan(
      count(before.FalloutByDownstream, 'provisioning'),
    );
    expect(count(after.SlaBreachForecast, 'HIGH')).toBeGreaterThan(count(before.SlaBreachForecast, 'HIGH'));
    expect(after.OrdersByStateAge!.asOf).toEqual(expect.any(String));
    // The sampler emitted the same split into the metrics the alarms and dashboards read.
    const emitted = await eventually(
      async () => {
        const m = await localMetrics();
        return (m.OrdersByStateAge?.byBreakdown?.['held|over24h'] ?? 0) >= 1 &&
          (m.RetryBacklog?.byBreakdown?.billing ?? 0) >= 1
          ? m
          : undefined;
      },
      60,
      250,
    );
    expect(emitted.FalloutByDownstream!.byBreakdown!.provisioning).toBeGreaterThanOrEqual(1);
  });

  it('a new quote enters the funnel and the open quotes under 2 h', async () => {
    const before = await widgets();
    expect((await api.post('/quotes', quoteBody(), { token: 'local-sales', key: randomUUID() })).status).toBe(
      201,
    );
    const after = await eventually(async () => {
      const w = await widgets();
      return (w.ConversionFunnel!.split?.created ?? 0) > (before.ConversionFunnel!.split?.created ?? 0)
        ? w
        : undefined;
    });
    expect(after.ConversionFunnel!.detail.funnel.map((f: { stage: string }) => f.stage)).toEqual([
      'created',
      'submitted',
      'approved',
      'accepted',
      'ordered',
      'completed',
    ]);
    expect(after.QuotesByStateAge!.detail.byState.inProgress.under2h).toBeGreaterThanOrEqual(1);
  });

  it('a cancellation of a finished order is counted as a change conflict', async () => {
    const orderId = `o-${randomUUID()}`;
    const header = {
      id: orderId,
      channelId: 'sales-portal',
      accountId: `acct-${randomUUID()}`,
      quoteId: `q-${randomUUID()}`,
    };
    await saveAggregate({
      kind: 'ORDER',
      id: orderId,
      expectedVersion: 0,
      aggregate: { ...header, state: 'completed', tasks: [], falloutHistory: [] },
      events: [],
      correlationId: randomUUID(),
      now: new Date().toISOString(),
    });
    const before = (await localMetrics()).OrderChangeConflicts?.byBreakdown?.INVALID_STATE_TRANSITION ?? 0;
    const refused = await api.post(
      `${ordersPath}/cancelProductOrder`,
      { productOrder: { id: orderId }, cancellationReason: 'customer changed their mind' },
      { token: 'local-sales' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('INVALID_STATE_TRANSITION');
    const after = await eventually(async () => {
      const v = (await localMetrics()).OrderChangeConflicts?.byBreakdown?.INVALID_STATE_TRANSITION ?? 0;
      return v > before ? v : undefined;
    });
    expect(after).toBe(before + 1);
  });

  it('a fulfilled order feeds the dispatch, billing acknowledgement and projection freshness SLOs', async () => {
    const counters = ['DispatchAttempts', 'BillingAcknowledged', 'ViewProjections'] as const;
    const before = await localMetrics();
    const order = await createOrder(await acceptedFiberQuote());
    await orderInState(order.body.id, 'completed');
    const after = await eventually(async () => {
      const m = await localMetrics();
      return counters.every((c) => (m[c]?.lastHour ?? 0) > (before[c]?.lastHour ?? 0)) ? m : undefined;
    });
    expect(after.DispatchAttempts!.byBreakdown!.billing).toBeGreaterThanOrEqual(1);
    expect(after.ViewProjections!.byBreakdown!['order-tracking']).toBeGreaterThanOrEqual(1);
    const slos = (await api.get('/ops/local/metrics', ops)).body.slos as Record<
      string,
      { budgetRemaining: number; burn: Record<string, { state: string }> }
    >;
    for (const name of [
      'projection-freshness',
      'dispatch-success',
      'dispatch-latency',
      'billing-acknowledgement',
    ])
      expect(Object.keys(slos[name]!.burn), name).toEqual(['fast', 'slow']);
    // The simulated billing system acknowledges at once: no late acknowledgement was added.
    expect(after.BillingAckLate?.lastHour ?? 0).toBeLessThanOrEqual(before.BillingAckLate?.lastHour ?? 0);
    expect(slos['billing-acknowledgement']!.budgetRemaining).toBeGreaterThan(0);
  });
});
