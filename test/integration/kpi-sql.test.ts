import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiSql } from '#adapters/kpi-sql';
import type { SourceEvent } from '#domain/projections/source-event';
import { factsOf } from '#domain/reporting/facts-of-event';
import { kpis } from '#domain/reporting/kpis';
import { createFactsEngine } from '#local/duckdb-facts';
import type { FactsEngine } from '#ports/facts-engine';

/** The KPI SQL files on DuckDB over date-partitioned NDJSON written from domain events. */
let dir: string;
let engine: FactsEngine;
let seq = 0;

const envelope = (
  eventType: string,
  kind: 'QUOTE' | 'ORDER',
  id: string,
  version: number,
  at: string,
  resource: Record<string, unknown>,
): SourceEvent => ({
  eventId: `e-${++seq}`,
  eventTime: at,
  eventType,
  domain: kind === 'QUOTE' ? 'quote' : 'productOrder',
  correlationId: 'c',
  aggregateType: kind,
  aggregateId: id,
  aggregateVersion: version,
  resource,
});

const quoteEvent = (
  eventType: string,
  id: string,
  version: number,
  at: string,
  discount: number,
  region: string,
  basis?: string,
) =>
  envelope(eventType, 'QUOTE', id, version, at, {
    channelId: 'sales-portal',
    accountId: 'acct',
    createdAt: at,
    customer: { name: 'A', region },
    products: [{ lineId: '1', offeringId: 'off-fiber-1g', productFamily: 'Connectivity' }],
    approvalGrant: basis ? { basis, grantedAt: at } : null,
    price: {
      lines: [
        {
          lineId: '1',
          offeringId: 'off-fiber-1g',
          listOneTime: 0,
          listRecurring: 90_000,
          discountPercent: discount,
          discountOneTime: 0,
          discountRecurring: 900 * discount,
          netOneTime: 0,
          netRecurring: 90_000 - 900 * discount,
        },
      ],
    },
  });

const taskEvent = (
  orderId: string,
  taskId: string,
  type: string,
  downstream: string,
  state: string,
  from: string,
  to: string,
  unknown = false,
) =>
  envelope('FulfillmentTaskStateChangeEvent', 'ORDER', orderId, 5, to, {
    orderId,
    taskId,
    type,
    downstream,
    state,
    attempts: 1,
    dispatchedAt: from,
    completedAt: state === 'DONE' ? to : undefined,
    ...(unknown ? { unknownSince: from } : {}),
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-sql-'));
  const d = '2026-11-10T10:';
  const events = [
    quoteEvent('QuoteAttributeValueChangeEvent', 'q1', 2, `${d}00:00.000Z`, 25, 'APAC'),
    quoteEvent('QuoteAttributeValueChangeEvent', 'q1', 3, `${d}01:00.000Z`, 25, 'APAC'),
    quoteEvent('QuoteAcceptedEvent', 'q1', 6, `${d}05:00.000Z`, 25, 'APAC', 'DECISION'),
    quoteEvent('QuoteAttributeValueChangeEvent', 'q2', 2, `${d}00:00.000Z`, 5, 'EMEA'),
    quoteEvent('QuoteAcceptedEvent', 'q2', 4, `${d}05:00.000Z`, 5, 'EMEA', 'AUTO'),
    // Above the floor without a decision: leakage the report must show.
    quoteEvent('QuoteAcceptedEvent', 'q3', 4, '2026-11-11T10:00:00.000Z', 15, 'EMEA', 'AUTO'),
    // Outside the period: must not count.
    quoteEvent('QuoteAttributeValueChangeEvent', 'q9', 2, '2026-10-01T10:00:00.000Z', 0, 'AMER'),
    taskEvent('o1', 't1', 'SERVICE_ACTIVATION', 'provisioning', 'DONE', `${d}00:00.000Z`, `${d}10:00.000Z`),
    taskEvent(
      'o1',
      'BILLING_HANDOFF',
      'BILLING_HANDOFF',
      'billing',
      'DONE',
      `${d}10:00.000Z`,
      `${d}12:00.000Z`,
    ),
    taskEvent('o2', 't1', 'SERVICE_ACTIVATION', 'provisioning', 'FAILED', `${d}00:00.000Z`, `${d}01:00.000Z`),
    taskEvent(
      'o3',
      't1',
      'SERVICE_ACTIVATION',
      'provisioning',
      'DONE',
      `${d}00:00.000Z`,
      `${d}00:30.000Z`,
      true,
    ),
    taskEvent(
      'o3',
      'BILLING_HANDOFF',
      'BILLING_HANDOFF',
      'billing',
      'DONE',
      `${d}00:30.000Z`,
      `${d}01:00.000Z`,
    ),
  ];
  for (const [i, e] of events.entries()) {
    const facts = factsOf(e)!;
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

describe('KPI SQL on DuckDB', () => {
  it('every KPI of the catalog has a SQL file that runs', async () => {
    for (const k of kpis) expect(Array.isArray(await run(k.name)), k.name).toBe(true);
  });

  it('computes the quote KPIs within the period', async () => {
    expect((await run('pricing_recalculation_rate'))[0]).toEqual({ pricings: 3, quotes: 2, value: 1.5 });
    expect((await run('approval_rate'))[0]).toMatchObject({ accepted_quotes: 3, approved_by_decision: 1 });
    expect((await run('approval_rate'))[0]!.value).toBeCloseTo(1 / 3);
    expect((await run('discount_leakage'))[0]).toEqual({ leaked_lines: 1, value: 135 });
    const byRegion = await run('discount_by_region_family');
    expect(byRegion.map((r) => [r.region, r.product_family, r.lines])).toEqual([
      ['APAC', 'Connectivity', 1],
      ['EMEA', 'Connectivity', 2],
    ]);
    expect(byRegion[1]!.avg_discount_percent).toBe(10);
  });

  it('computes the order KPIs within the period', async () => {
    expect((await run('fallout_rate'))[0]).toMatchObject({ orders: 3, orders_in_fallout: 1 });
    expect((await run('unknown_outcome_count'))[0]).toEqual({ value: 1, tasks: 5 });
    expect((await run('fulfillment_lead_time'))[0]).toEqual({ orders: 2, value: 390, max_seconds: 720 });
    const byDownstream = await run('fallout_by_downstream');
    expect(byDownstream.map((r) => [r.downstream_system, r.task_outcomes, r.failed])).toEqual([
      ['billing', 2, 0],
      ['provisioning', 3, 1],
    ]);
  });

  it('gives empty results, not errors, when a fact table has no files yet', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kpi-empty-'));
    const e = await createFactsEngine(empty);
    try {
      expect((await e.query(kpiSql('fallout_rate'), ['2026-11-01', '2026-11-30']))[0]).toMatchObject({
        orders: 0,
        value: null,
      });
    } finally {
      await e.close?.();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
