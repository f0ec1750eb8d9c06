import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveAggregate } from '#adapters/aggregate-store';
import { signals as catalog, dashboards, signalNames } from '#signals';
import { slos } from '#slos';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { plantFallout } from '../support/planted-fallout.ts';
import { plantedQuote } from '../support/planted-quote.ts';
import { quoteBody } from '../support/quote-flow.ts';
import { useStackTables } from '../support/stack-tables.ts';

const api = client();
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

beforeAll(useStackTables);

const signals = async () => {
  const r = await api.get('/ops/dashboard', { token: 'local-ops' });
  expect(r.status).toBe(200);
  return r.body.signals as Record<
    string,
    { value: number | null; computedAt: string; asOf: string | null; source: string; detail?: any }
  >;
};

const localMetrics = async () => {
  const r = await api.get('/ops/local/metrics', { token: 'local-ops' });
  expect(r.status).toBe(200);
  return r.body as {
    signals: Record<
      string,
      { lastHour: number | null; byBreakdown?: Record<string, number>; alarm: { state: string } | null }
    >;
    composite: Record<string, { state: string }>;
    slos: Record<string, { objective: number; budgetRemaining: number; burn: Record<string, any> }>;
  };
};

describe('ops dashboard', () => {
  it('serves every catalog signal with its dashboard, owner, decision and freshness, to ops only', async () => {
    const r = await api.get('/ops/dashboard', { token: 'local-ops' });
    for (const name of signalNames) {
      expect(r.body.signals[name], name).toMatchObject({
        computedAt: expect.any(String),
        source: expect.any(String),
        dashboard: catalog[name].dashboard,
        ownerTeam: catalog[name].ownerTeam,
        indicator: catalog[name].indicator,
      });
    }
    expect(Object.keys(r.body.dashboards)).toEqual(Object.keys(dashboards));
    expect(r.body.freshness).toHaveProperty('projectionLagP95Ms');
    for (const token of ['local-sales', 'local-partner-a', 'local-approver'])
      expect((await api.get('/ops/dashboard', { token })).status).toBe(403);
  });

  it('orders in fallout and oldest fallout age move when an order falls out', async () => {
    await plantFallout({ reasonCode: 'RETRY_BUDGET_EXHAUSTED', since: hoursAgo(30 * 24) });
    const after = await eventually(async () => {
      const s = await signals();
      return s.OldestFalloutAge!.value! >= 30 * 24 * 3600 - 60 && s.OrdersInFallout!.value! >= 1
        ? s
        : undefined;
    });
    expect(after.OldestFalloutAge!.value).toBeGreaterThanOrEqual(30 * 24 * 3600 - 60);
    expect(after.OrdersInFallout!.detail.byReason.RETRY_BUDGET_EXHAUSTED).toBeGreaterThanOrEqual(1);
    // The local sink evaluates the catalog alarm (older than 4 h) once the sampler has emitted the gauge.
    const alarmed = await eventually(async () => {
      const m = await localMetrics();
      return m.signals.OldestFalloutAge!.alarm?.state === 'ALARM' ? m : undefined;
    });
    expect(alarmed.composite['orders-at-risk']!.state).toBe('ALARM');
  });

  it('a refused conversion is counted as a conversion failure in the metrics', async () => {
    const before = (await localMetrics()).signals.ConversionFailures!.lastHour ?? 0;
    const refused = await api.post(
      `${ordersPath}/productOrder`,
      {
        quote: [{ id: `q-${randomUUID()}` }],
        billingAccount: { id: 'ba-1' },
        productOrderItem: [{ id: '1', action: 'add', quoteItem: { id: '1' } }],
      },
      { token: 'local-sales' },
    );
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const after = await eventually(async () => {
      const v = (await localMetrics()).signals.ConversionFailures!.lastHour ?? 0;
      return v > before ? v : undefined;
    });
    expect(after).toBe(before + 1);
    // The conversion SLO (shared/slos.ts) spends its error budget on it, in the local sink as in CloudWatch.
    const slo = (await localMetrics()).slos['quote-to-order-conversion']!;
    expect(slo.objective).toBe(slos['quote-to-order-conversion'].objective);
    expect(slo.budgetRemaining).toBeLessThan(1);
    expect(slo.burn.fast.shortBurnRate).toBeGreaterThan(0);
    expect(['OK', 'ALARM']).toContain(slo.burn.fast.state);
  });

  it('reconciliation drift shows the latest completed run', async () => {
    const quoteId = `q-${randomUUID()}`;
    await saveAggregate({
      kind: 'QUOTE',
      id: quoteId,
      expectedVersion: 0,
      aggregate: plantedQuote(quoteId, { state: 'accepted', acceptance: { acceptedAt: hoursAgo(5) } }),
      events: [],
      correlationId: 'planted',
      now: hoursAgo(5),
    });
    const started = await api.post(
      '/ops/reconciliation-runs',
      { quoteIds: [quoteId], checks: ['accepted-quote-converted'] },
      { token: 'local-ops' },
    );
    expect(started.status).toBe(202);
    const s = await eventually(async () => {
      const d = await signals();
      return d.ReconciliationDrift!.value !== null ? d : undefined;
    });
    expect(s.ReconciliationDrift!.source).toContain('reconciliation run');
    expect(s.ReconciliationDrift!.asOf).toEqual(expect.any(String));
  });

  it('duplicate submit attempts move when a client replays a command with the same key', async () => {
    const before = (await localMetrics()).signals.DuplicateSubmitAttempts!;
    const key = randomUUID();
    const body = quoteBody();
    expect((await api.post('/quotes', body, { token: 'local-sales', key })).status).toBe(201);
    const replay = await api.post('/quotes', body, { token: 'local-sales', key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const after = await eventually(async () => {
      const s = (await localMetrics()).signals.DuplicateSubmitAttempts!;
      return (s.lastHour ?? 0) > (before.lastHour ?? 0) ? s : undefined;
    });
    expect(after.lastHour).toBe((before.lastHour ?? 0) + 1);
    expect(after.byBreakdown!['quote-create']).toBe((before.byBreakdown?.['quote-create'] ?? 0) + 1);
  });
});
