import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiSql } from '#adapters/kpi-sql';
import type { SourceEvent } from '#domain/projections/source-event';
import { type FactContext, factsOf } from '#domain/reporting/facts-of-event';
import { kpis } from '#domain/reporting/kpis';
import { refusalEvent } from '#domain/reporting/refusal-facts';
import { createFactsEngine } from '#local/duckdb-facts';
import type { FactsEngine } from '#ports/facts-engine';

/**
 * Every KPI of the catalog on DuckDB over date-partitioned NDJSON written by the fact mapping from
 * planted domain events (and command refusals), with the numbers worked out by hand below.
 */
let dir: string;
let engine: FactsEngine;
let seq = 0;
const day = '2026-11-10T';
const at = (hhmm: string) => `${day}${hhmm}:00.000Z`;

const envelope = (
  eventType: string,
  kind: 'QUOTE' | 'ORDER',
  id: string,
  version: number,
  time: string,
  resource: Record<string, unknown>,
): SourceEvent => ({
  eventId: `e-${String(++seq).padStart(4, '0')}`,
  eventTime: time,
  eventType,
  domain: kind === 'QUOTE' ? 'quote' : 'productOrder',
  correlationId: 'c',
  aggregateType: kind,
  aggregateId: id,
  aggregateVersion: version,
  resource,
});

const compactQuote = (id: string, region: string, createdAt = at('10:00'), validUntil = '2026-12-10') => ({
  id,
  channelId: 'sales-portal',
  accountId: 'acct',
  createdAt,
  customer: { name: 'A', region },
  products: [{ lineId: '1', offeringId: 'off-fiber-1g', productFamily: 'Connectivity', quantity: 1 }],
  validFor: { startDateTime: createdAt, endDateTime: `${validUntil}T00:00:00.000Z` },
});

const price = (discount: number, inputHash: string, net = 90_000 - 900 * discount) => ({
  inputHash,
  catalogVersion: 'cat-1',
  priceBookVersion: 'pb-1',
  policyVersion: 'deal-policy-1',
  lines: [
    {
      lineId: '1',
      offeringId: 'off-fiber-1g',
      listOneTime: 0,
      listRecurring: 90_000,
      discountPercent: discount,
      discountOneTime: 0,
      discountRecurring: 90_000 - net,
      netOneTime: 0,
      netRecurring: net,
    },
  ],
});

type Planted = { event: SourceEvent; context?: FactContext };
const q = {
  created: (id: string, region: string, createdAt?: string, validUntil?: string): Planted => ({
    event: envelope('QuoteCreateEvent', 'QUOTE', id, 1, createdAt ?? at('10:00'), {
      ...compactQuote(id, region, createdAt, validUntil),
      state: 'inProgress',
      lineCount: 1,
    }),
  }),
  lines: (id: string, time: string): Planted => ({
    event: envelope('QuoteAttributeValueChangeEvent', 'QUOTE', id, 2, time, {
      ...compactQuote(id, 'APAC'),
      changedAttributes: ['lines', 'pricingStatus'],
      price: null,
    }),
  }),
  priced: (id: string, v: number, time: string, p: ReturnType<typeof price>, region = 'EMEA'): Planted => ({
    event: envelope('QuoteAttributeValueChangeEvent', 'QUOTE', id, v, time, {
      ...compactQuote(id, region),
      changedAttributes: ['priceSnapshot', 'pricingStatus'],
      price: p,
    }),
  }),
  state: (id: string, v: number, time: string, from: string, to: string): Planted => ({
    event: envelope('QuoteStateChangeEvent', 'QUOTE', id, v, time, {
      ...compactQuote(id, 'EMEA'),
      state: to,
      previousState: from,
    }),
  }),
  requested: (id: string, request: string, time: string): Planted => ({
    event: envelope('QuoteApprovalRequestedEvent', 'QUOTE', id, 4, time, {
      ...compactQuote(id, 'EMEA'),
      approvalRequest: { id: request, reasonCodes: ['DISCOUNT_ABOVE_FLOOR'], submittedAt: time },
    }),
  }),
  decided: (id: string, request: string, decision: string, time: string): Planted => ({
    event: envelope('QuoteApprovalDecidedEvent', 'QUOTE', id, 5, time, {
      ...compactQuote(id, 'EMEA'),
      approvalDecision: { id: `d-${request}`, requestId: request, decision, decidedBy: 'appr', at: time },
    }),
  }),
  invalidated: (id: string, time: string): Planted => ({
    event: envelope('QuoteApprovalInvalidatedEvent', 'QUOTE', id, 6, time, {
      ...compactQuote(id, 'EMEA'),
      cause: 'REPRICED',
    }),
  }),
  accepted: (
    id: string,
    time: string,
    p: ReturnType<typeof price>,
    basis: string,
    region: string,
    marginMinor?: number,
  ): Planted => ({
    event: envelope('QuoteAcceptedEvent', 'QUOTE', id, 7, time, {
      ...compactQuote(id, region),
      state: 'accepted',
      approvalGrant: { basis, grantedAt: time },
      price: p,
    }),
    ...(marginMinor === undefined ? {} : { context: { lineMargins: { '1': marginMinor } } }),
  }),
};

const header = (orderId: string, quoteId: string, state: string) => ({
  id: orderId,
  orderId,
  state,
  channelId: 'sales-portal',
  accountId: 'acct',
  quoteId,
});
const o = {
  created: (id: string, quoteId: string, items: number, time: string): Planted => ({
    event: envelope('ProductOrderCreateEvent', 'ORDER', id, 1, time, {
      ...header(id, quoteId, 'acknowledged'),
      orderDate: time,
      productOrderItem: Array.from({ length: items }, (_, i) => ({ id: `${i + 1}` })),
    }),
    context: { region: 'APAC' },
  }),
  planned: (id: string, time: string): Planted => ({
    event: envelope('FulfillmentPlanCreateEvent', 'ORDER', id, 2, time, {
      orderId: id,
      channelId: 'sales-portal',
      taskIds: [],
    }),
  }),
  state: (id: string, from: string, to: string, time: string, falloutReason?: string): Planted => ({
    event: envelope('ProductOrderStateChangeEvent', 'ORDER', id, 3, time, {
      ...header(id, 'q', to),
      previousState: from,
      at: time,
      ...(falloutReason ? { fallout: { reasonCode: falloutReason, since: time } } : {}),
    }),
  }),
  task: (
    id: string,
    task: string,
    downstream: string,
    state: string,
    from: string,
    to: string,
    extra: { unknown?: boolean; billingMatches?: boolean } = {},
  ): Planted => ({
    event: envelope('FulfillmentTaskStateChangeEvent', 'ORDER', id, 5, to, {
      orderId: id,
      taskId: task,
      type: task === 'BILLING_HANDOFF' ? 'BILLING_HANDOFF' : 'SERVICE_ACTIVATION',
      downstream,
      state,
      attempts: 1,
      dispatchedAt: from,
      completedAt: state === 'DONE' ? to : undefined,
      ...(extra.unknown ? { unknownSince: from } : {}),
    }),
    context: { region: 'APAC', billingMatchesContract: extra.billingMatches ?? null },
  }),
  repaired: (id: string, action: string, time: string): Planted => ({
    event: envelope('FulfillmentTaskRepairEvent', 'ORDER', id, 6, time, {
      orderId: id,
      channelId: 'sales-portal',
      id: `r-${id}`,
      action,
      taskId: 't1',
      reasonCode: 'OPS',
      at: time,
    }),
  }),
  cancelled: (id: string, cancelId: string, time: string): Planted => ({
    event: envelope('CancelProductOrderCreateEvent', 'ORDER', id, 7, time, {
      id: cancelId,
      orderId: id,
      channelId: 'sales-portal',
      state: 'inProgress',
    }),
  }),
};
const refused = (operation: string, code: string, time: string): Planted => ({
  event: refusalEvent({
    eventId: `r-${++seq}`,
    at: time,
    operation,
    code,
    aggregateId: null,
    channelId: 'sales-portal',
    correlationId: 'c',
  }),
});

const planted: Planted[] = [
  // q1: created, lines, priced 25 %, submitted, approval requested and approved after 600 s,
  // accepted 1200 s after creation with a margin of 100.00 on 675.00 (below the 30 % guardrail).
  q.created('q1', 'APAC'),
  q.lines('q1', at('10:01')),
  q.priced('q1', 3, at('10:02'), price(25, 'h1'), 'APAC'),
  q.state('q1', 4, at('10:03'), 'inProgress', 'pending'),
  q.requested('q1', 'r1', at('10:03')),
  q.decided('q1', 'r1', 'APPROVE', at('10:13')),
  q.accepted('q1', at('10:20'), price(25, 'h1'), 'DECISION', 'APAC', 10_000),
  // q2: auto-approved on submission, priced twice with the same result, accepted after 1800 s.
  q.created('q2', 'EMEA'),
  q.priced('q2', 2, at('10:01'), price(5, 'h2')),
  q.state('q2', 3, at('10:02'), 'inProgress', 'approved'),
  q.priced('q2', 4, at('10:05'), price(5, 'h2')),
  q.accepted('q2', at('10:30'), price(5, 'h2'), 'AUTO', 'EMEA', 40_000),
  // q3: approval rejected after 1800 s; the quote ends rejected 1860 s after creation.
  q.created('q3', 'EMEA'),
  q.state('q3', 2, at('10:01'), 'inProgress', 'pending'),
  q.requested('q3', 'r3', at('10:01')),
  q.decided('q3', 'r3', 'REJECT', at('10:31')),
  q.state('q3', 6, at('10:31'), 'pending', 'rejected'),
  // q4: created in October, its validity ended on 2026-11-15 without an end: expired.
  q.created('q4', 'AMER', '2026-10-20T00:00:00.000Z', '2026-11-15'),
  // q5: the same pricing input gave two different results: one replay mismatch.
  q.priced('q5', 2, at('10:00'), price(10, 'h5')),
  q.priced('q5', 3, at('10:10'), price(10, 'h5', 80_000)),
  // q6: auto-approved, then its approval invalidated by a reprice.
  q.state('q6', 2, at('10:00'), 'inProgress', 'approved'),
  q.invalidated('q6', at('10:10')),
  // q7: 15 % above the floor accepted without a decision (leakage), no margin known, 3600 s.
  q.accepted('q7', at('11:00'), price(15, 'h7'), 'AUTO', 'EMEA'),
  refused('quote-create', 'INVALID_CONFIGURATION', at('10:05')),
  // o1 (2 items, from q1): planned, fulfilled, billed as contracted, completed 7200 s after its date.
  o.created('o1', 'q1', 2, at('10:40')),
  o.planned('o1', at('10:41')),
  o.task('o1', 't1', 'provisioning', 'DONE', at('10:41'), at('11:00'), { unknown: true }),
  o.task('o1', 'BILLING_HANDOFF', 'billing', 'DONE', at('11:00'), at('12:00'), { billingMatches: true }),
  o.state('o1', 'inProgress', 'completed', at('12:40')),
  // o2 (3 items): decomposition failed, still held; its cancellation accepted.
  o.created('o2', 'qx', 3, at('10:00')),
  o.state('o2', 'acknowledged', 'held', at('10:01'), 'DECOMPOSITION_FAILED'),
  o.cancelled('o2', 'c1', at('10:50')),
  // o3 (1 item): a task failed, held at 11:00, repaired (RETRY), back in progress after 1800 s,
  // billed with terms that differ from the contract, completed 10800 s after its date.
  o.created('o3', 'qy', 1, at('10:00')),
  o.planned('o3', at('10:01')),
  o.task('o3', 't1', 'provisioning', 'FAILED', at('10:01'), at('11:00')),
  o.state('o3', 'inProgress', 'held', at('11:00'), 'DOWNSTREAM_REJECTED'),
  o.repaired('o3', 'RETRY', at('11:20')),
  o.state('o3', 'held', 'inProgress', at('11:30')),
  o.task('o3', 'BILLING_HANDOFF', 'billing', 'DONE', at('11:40'), at('12:00'), { billingMatches: false }),
  o.state('o3', 'inProgress', 'completed', at('13:00')),
  refused('order-create', 'QUOTE_ALREADY_CONVERTED', at('10:45')),
  refused('order-create', 'BILLING_ACCOUNT_MISSING', at('10:46')),
  refused('order-cancel', 'POINT_OF_NO_RETURN', at('12:30')),
  // Outside the period: must not count.
  q.priced('q9', 2, '2026-10-01T10:00:00.000Z', price(0, 'h9'), 'AMER'),
  o.created('o9', 'q9', 1, '2026-12-02T10:00:00.000Z'),
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-sql-'));
  for (const [i, p] of planted.entries()) {
    const facts = factsOf(p.event, p.context);
    if (!facts) throw new Error(`no facts for ${p.event.eventType}`);
    const folder = join(dir, 'facts', facts.table, `dt=${facts.dt}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `part-${i}.json`), facts.rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
  engine = await createFactsEngine(dir);
});

afterAll(async () => {
  await engine?.close?.();
  rmSync(dir, { recursive: true, force: true });
});

const run = async (name: string) => engine.query(kpiSql(name), ['2026-11-01', '2026-11-30']);

/** Each KPI's expected value and detail over the planted facts (2026-11-01 … 2026-11-30). */
const expected: Record<string, { value?: number; detail?: Record<string, unknown>; rows?: unknown[] }> = {
  quote_cycle_time: {
    value: (1200 + 1800 + 1860 + 3600 + 26 * 86_400) / 5,
    detail: { quotes: 5, accepted: 3, rejected: 1, cancelled: 0, expired: 1 },
  },
  configuration_error_rate: { value: 1 / 5, detail: { attempts: 5, invalid: 1 } },
  pricing_recalculation_rate: { value: 5 / 3, detail: { pricings: 5, quotes: 3 } },
  approval_rate: { value: 2 / 4, detail: { submitted_quotes: 4, requiring_approval: 2 } },
  approval_cycle_time: { value: 1200, detail: { decisions: 2, approved: 1, rejected: 1, max_seconds: 1800 } },
  stale_approval_rate: { value: 1 / 3, detail: { approved_quotes: 3, invalidated_approvals: 1 } },
  quote_conversion_rate: { value: 1 / 3, detail: { accepted_quotes: 3, converted: 1 } },
  quote_to_order_failure_rate: { value: 1 / 4, detail: { attempts: 4, failed: 1, already_converted: 1 } },
  order_submit_success_rate: { value: 3 / 5, detail: { attempts: 5, accepted: 3 } },
  feasibility_pass_rate: { value: 3 / 6, detail: { checked_items: 6, feasible_items: 3 } },
  decomposition_failure_rate: { value: 1 / 3, detail: { submitted_orders: 3, decomposition_failed: 1 } },
  fallout_rate: { value: 2 / 3, detail: { orders: 3, orders_in_fallout: 2 } },
  mean_time_to_repair: { value: 1800, detail: { recoveries: 1 } },
  unknown_outcome_count: { value: 1, detail: { tasks: 4 } },
  cancellation_conflict_rate: {
    value: 1 / 2,
    detail: { cancellation_requests: 2, refused_at_point_of_no_return: 1 },
  },
  fulfillment_lead_time: { value: (7200 + 10_800) / 2, detail: { orders: 2, max_seconds: 10_800 } },
  discount_leakage: { value: 135, detail: { leaked_lines: 1 } },
  margin_exception_rate: { value: 1 / 2, detail: { deals: 2, below_guardrail: 1 } },
  policy_override_count: {
    rows: [
      { policy_type: 'DEAL_POLICY:DISCOUNT_ABOVE_FLOOR', overrides: 1 },
      { policy_type: 'FULFILLMENT_REPAIR:RETRY', overrides: 1 },
    ],
  },
  contract_billing_mismatch: { value: 1, detail: { checked_handoffs: 2, mismatch_rate: 1 / 2 } },
  price_replay_mismatch: { value: 1, detail: { replayed_inputs: 3 } },
  discount_by_region_family: {
    rows: [
      expect.objectContaining({ region: 'APAC', product_family: 'Connectivity', lines: 1 }),
      expect.objectContaining({ region: 'EMEA', product_family: 'Connectivity', lines: 2 }),
    ],
  },
  fallout_by_downstream: {
    rows: [
      expect.objectContaining({ downstream_system: 'billing', task_outcomes: 2, failed: 0 }),
      expect.objectContaining({ downstream_system: 'provisioning', task_outcomes: 2, failed: 1 }),
    ],
  },
};

describe('KPI SQL on DuckDB', () => {
  it('has a definition, formula, semantic version, facts and SQL for each of the 21 KPIs of §14', () => {
    expect(kpis.filter((k) => k.seedRef.startsWith('003 §14')).length).toBe(21);
    for (const k of kpis) {
      expect(k.formula.length, k.name).toBeGreaterThan(10);
      expect(k.semanticVersion, k.name).toBeGreaterThanOrEqual(1);
      expect(k.facts.length, k.name).toBeGreaterThan(0);
      expect(expected[k.name], `${k.name} has a planted expectation`).toBeDefined();
    }
  });

  it.each(kpis.map((k) => [k.name, k] as const))('computes %s from the planted facts', async (name, spec) => {
    const rows = await run(name);
    const want = expected[name]!;
    if (spec.shape === 'rows') {
      expect(rows).toEqual(want.rows);
      return;
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]!.value as number).toBeCloseTo(want.value!, 6);
    for (const [column, v] of Object.entries(want.detail ?? {})) {
      if (typeof v === 'number') expect(rows[0]![column] as number, column).toBeCloseTo(v, 6);
      else expect(rows[0]![column], column).toEqual(v);
    }
  });

  it('gives empty results, not errors, when the fact tables have no files yet: counts 0, ratios and means null', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kpi-empty-'));
    const e = await createFactsEngine(empty);
    try {
      for (const k of kpis) {
        const rows = await e.query(kpiSql(k.name), ['2026-11-01', '2026-11-30']);
        if (k.shape === 'rows') expect(rows, k.name).toEqual([]);
        // Nothing counted is 0; a ratio or a mean of nothing is null (not 0: no data is not a good score).
        else if (k.unit === 'count' || k.unit === 'amount') expect(rows[0]!.value, k.name).toBe(0);
        else expect(rows[0]!.value, k.name).toBeNull();
      }
    } finally {
      await e.close?.();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
