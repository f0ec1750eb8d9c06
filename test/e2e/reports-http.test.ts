import { describe, expect, it } from 'vitest';
import { client, eventually } from '../support/api-client.ts';
import { createOrder, orderInState } from '../support/order-flow.ts';
import { acceptedQuote, fiberLine } from '../support/quote-flow.ts';

const api = client();
const ops = { token: 'local-ops' };
const today = () => new Date().toISOString().slice(0, 10);

const kpisNow = async () => {
  const r = await api.get(`/reports/kpis?from=${today()}&to=${today()}`, ops);
  expect(r.status).toBe(200);
  return r.body as { engine: string; kpis: Record<string, any>[]; notSupported: unknown[] };
};
const kpi = (body: { kpis: Record<string, any>[] }, name: string) => body.kpis.find((k) => k.name === name)!;

describe('GET /reports/kpis', () => {
  it('computes the KPIs from the facts the events wrote to the local data lake (DuckDB)', async () => {
    const before = await kpisNow();
    expect(before.engine).toBe('duckdb');
    const acceptedBefore = kpi(before, 'approval_rate').detail.accepted_quotes as number;
    const decisionsBefore = kpi(before, 'approval_rate').detail.approved_by_decision as number;
    const fulfilledBefore = kpi(before, 'fulfillment_lead_time').detail.orders as number;

    // One quote above the floor (approver decision), one auto-approved that becomes an order.
    await acceptedQuote('local-sales', [fiberLine(25)]);
    const quote = await acceptedQuote('local-sales', [fiberLine(5)]);
    const order = (await createOrder(quote)).body;
    await orderInState(order.id, 'completed');

    const after = await eventually(async () => {
      const body = await kpisNow();
      const done =
        kpi(body, 'approval_rate').detail.accepted_quotes >= acceptedBefore + 2 &&
        kpi(body, 'fulfillment_lead_time').detail.orders >= fulfilledBefore + 1;
      return done ? body : undefined;
    });
    expect(kpi(after, 'approval_rate').detail.approved_by_decision).toBeGreaterThanOrEqual(
      decisionsBefore + 1,
    );
    expect(kpi(after, 'discount_leakage')).toMatchObject({ value: 0, unit: 'amount', seedRef: '003 §14.3' });
    expect(kpi(after, 'pricing_recalculation_rate').value).toBeGreaterThanOrEqual(1);
    const connectivity = kpi(after, 'discount_by_region_family').rows.find(
      (r: any) => r.product_family === 'Connectivity',
    );
    expect(connectivity.lines).toBeGreaterThanOrEqual(2);
    const byDownstream = kpi(after, 'fallout_by_downstream').rows.map((r: any) => r.downstream_system);
    expect(byDownstream).toEqual(expect.arrayContaining(['billing', 'provisioning']));
    expect(kpi(after, 'fulfillment_lead_time').value).toBeGreaterThanOrEqual(0);
    for (const k of after.kpis) expect(k.definition, k.name).toEqual(expect.any(String));
    expect(after.notSupported.length).toBeGreaterThan(0);
  });

  it('serves one KPI by name and keeps to the ops role', async () => {
    const one = await api.get(
      `/reports/kpis?from=2026-01-01T00:00:00.000Z&to=${today()}T23:59:59.999Z&kpi=fallout_rate`,
      ops,
    );
    expect(one.status).toBe(200);
    expect(one.body.kpis.map((k: any) => k.name)).toEqual(['fallout_rate']);
    expect(
      (await api.get(`/reports/kpis?from=${today()}&to=${today()}`, { token: 'local-sales' })).status,
    ).toBe(403);
  });

  it('refuses bad periods with 400 and field details', async () => {
    for (const q of [
      '',
      'from=2026-11-01',
      'from=2026-11-02&to=2026-11-01',
      'from=2025-01-01&to=2026-11-01',
      'from=x&to=y',
      'from=2026-11-01&to=2026-11-02&kpi=nope',
    ]) {
      const r = await api.get(`/reports/kpis?${q}`, ops);
      expect(r.status, q).toBe(400);
      expect(r.body.details.fields.length).toBeGreaterThan(0);
    }
  });
});
