import { describe, expect, it } from 'vitest';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { createOrder, orderBody, orderInState } from '../support/order-flow.ts';
import { acceptedQuote, fiberLine, quoteBody } from '../support/quote-flow.ts';

const api = client();
const ops = { token: 'local-ops' };
const today = () => new Date().toISOString().slice(0, 10);

const kpisNow = async () => {
  const r = await api.get(`/reports/kpis?from=${today()}&to=${today()}`, ops);
  expect(r.status).toBe(200);
  return r.body as { engine: string; kpis: Record<string, any>[] };
};
const kpi = (body: { kpis: Record<string, any>[] }, name: string) => body.kpis.find((k) => k.name === name)!;
/** The detail counters the flow below moves, read from one report. */
const counters = (body: { kpis: Record<string, any>[] }) => ({
  submitted: kpi(body, 'approval_rate').detail.submitted_quotes as number,
  requiringApproval: kpi(body, 'approval_rate').detail.requiring_approval as number,
  decisions: kpi(body, 'approval_cycle_time').detail.decisions as number,
  acceptedQuotes: kpi(body, 'quote_conversion_rate').detail.accepted_quotes as number,
  converted: kpi(body, 'quote_conversion_rate').detail.converted as number,
  conversionFailures: kpi(body, 'quote_to_order_failure_rate').detail.already_converted as number,
  invalidConfigurations: kpi(body, 'configuration_error_rate').detail.invalid as number,
  deals: kpi(body, 'margin_exception_rate').detail.deals as number,
  belowGuardrail: kpi(body, 'margin_exception_rate').detail.below_guardrail as number,
  fulfilled: kpi(body, 'fulfillment_lead_time').detail.orders as number,
  billingChecked: kpi(body, 'contract_billing_mismatch').detail.checked_handoffs as number,
  billingMismatches: kpi(body, 'contract_billing_mismatch').value as number,
});

describe('GET /reports/kpis', () => {
  it('computes the KPIs from the facts the events and refusals wrote to the local data lake (DuckDB)', async () => {
    const before = await kpisNow();
    expect(before.engine).toBe('duckdb');
    const was = counters(before);

    // One quote above the floor (approver decision, margin 135 of 675: below the 30 % guardrail),
    // one auto-approved (margin 315 of 855) that becomes an order, is fulfilled and billed.
    await acceptedQuote('local-sales', [fiberLine(25)]);
    const quote = await acceptedQuote('local-sales', [fiberLine(5)]);
    const order = (await createOrder(quote)).body;
    // Refused at the boundary: the quote again (already converted), an option outside its domain.
    const again = await api.post(`${ordersPath}/productOrder`, orderBody(quote as never), {
      token: 'local-sales',
    });
    expect(again.body.code).toBe('QUOTE_ALREADY_CONVERTED');
    const invalid = await api.post(
      '/quotes',
      quoteBody([{ ...fiberLine(), options: { term: 24, install: 'teleport' } }]),
      { token: 'local-sales' },
    );
    expect(invalid.body.code).toBe('INVALID_CONFIGURATION');
    await orderInState(order.id, 'completed');

    const after = await eventually(async () => {
      const body = await kpisNow();
      const now = counters(body);
      const done =
        now.acceptedQuotes >= was.acceptedQuotes + 2 &&
        now.fulfilled >= was.fulfilled + 1 &&
        now.billingChecked >= was.billingChecked + 1 &&
        now.conversionFailures >= was.conversionFailures + 1 &&
        now.invalidConfigurations >= was.invalidConfigurations + 1;
      return done ? body : undefined;
    });
    const now = counters(after);
    expect(now.submitted - was.submitted).toBeGreaterThanOrEqual(2);
    expect(now.requiringApproval - was.requiringApproval).toBeGreaterThanOrEqual(1);
    expect(now.decisions - was.decisions).toBeGreaterThanOrEqual(1);
    expect(now.converted - was.converted).toBeGreaterThanOrEqual(1);
    // Margin comes from the accepted price snapshot (never from events): both deals counted.
    expect(now.deals - was.deals).toBeGreaterThanOrEqual(2);
    expect(now.belowGuardrail - was.belowGuardrail).toBeGreaterThanOrEqual(1);
    // Billing acknowledged exactly the accepted terms.
    expect(now.billingMismatches).toBe(was.billingMismatches);
    expect(kpi(after, 'discount_leakage')).toMatchObject({ value: 0, unit: 'amount', seedRef: '003 §14.3' });
    expect(kpi(after, 'price_replay_mismatch').value).toBe(0);
    expect(kpi(after, 'pricing_recalculation_rate').value).toBeGreaterThanOrEqual(1);
    const connectivity = kpi(after, 'discount_by_region_family').rows.find(
      (r: any) => r.product_family === 'Connectivity',
    );
    expect(connectivity.lines).toBeGreaterThanOrEqual(2);
    const byDownstream = kpi(after, 'fallout_by_downstream').rows.map((r: any) => r.downstream_system);
    expect(byDownstream).toEqual(expect.arrayContaining(['billing', 'provisioning']));
    expect(kpi(after, 'fulfillment_lead_time').value).toBeGreaterThan(0);
    expect(after.kpis.filter((k) => k.seedRef.startsWith('003 §14'))).toHaveLength(21);
    for (const k of after.kpis) {
      expect(k.definition, k.name).toEqual(expect.any(String));
      expect(k.semanticVersion, k.name).toBeGreaterThanOrEqual(1);
    }
  });

  it('serves one KPI by name to ops and finance, to no other role', async () => {
    const one = await api.get(
      `/reports/kpis?from=2026-01-01T00:00:00.000Z&to=${today()}T23:59:59.999Z&kpi=fallout_rate`,
      ops,
    );
    expect(one.status).toBe(200);
    expect(one.body.kpis.map((k: any) => k.name)).toEqual(['fallout_rate']);
    for (const token of ['local-sales', 'local-support', 'local-approver'])
      expect((await api.get(`/reports/kpis?from=${today()}&to=${today()}`, { token })).status, token).toBe(
        403,
      );
    const finance = await api.get(`/reports/kpis?from=${today()}&to=${today()}&kpi=quote_cycle_time`, {
      token: 'local-finance',
    });
    expect(finance.status).toBe(200);
    expect(finance.body.kpis[0]).toMatchObject({
      name: 'quote_cycle_time',
      semanticVersion: 1,
      unit: 'seconds',
    });
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
