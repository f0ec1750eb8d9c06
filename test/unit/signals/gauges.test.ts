import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { falloutByReason, type GaugeContribution, gaugeDelta, lagSummary } from '#domain/projections/gauges';
import { rowViewOf } from '#domain/projections/views';

const reasons = ['RETRY_BUDGET_EXHAUSTED', 'DOWNSTREAM_REJECTED', 'DECOMPOSITION_FAILED'];
const row = (state: string, reason?: string, taskStates: string[] = []) => ({
  orderId: 'o',
  channelId: 'c',
  items: [],
  state,
  tasks: Object.fromEntries(taskStates.map((s, i) => [`t${i}`, { taskId: `t${i}`, state: s }])),
  ...(reason
    ? { fallout: { reasonCode: reason, ownerTeam: 'x', nextAction: 'y', since: '2026-01-01T00:00:00Z' } }
    : {}),
});
const arbRow = fc
  .record({
    held: fc.boolean(),
    reason: fc.option(fc.constantFrom(...reasons), { nil: undefined }),
    tasks: fc.array(fc.constantFrom('PENDING', 'UNKNOWN', 'DONE'), { maxLength: 4 }),
  })
  .map((r) => row(r.held ? 'held' : 'inProgress', r.reason, r.tasks));

const add = (total: GaugeContribution, delta: GaugeContribution) => {
  for (const [k, v] of Object.entries(delta)) total[k] = (total[k] ?? 0) + v;
  return total;
};
const withoutZeros = (g: GaugeContribution) =>
  Object.fromEntries(Object.entries(g).filter(([, v]) => v !== 0));

describe('incremental gauges', () => {
  it('the sum of the deltas of any sequence of row writes equals the contribution of the last row', () => {
    for (const view of ['fallout', 'order-tracking'] as const) {
      const gauges = rowViewOf(view).gauges!;
      fc.assert(
        fc.property(fc.array(arbRow, { minLength: 1, maxLength: 12 }), (rows) => {
          let total: GaugeContribution = {};
          let previous: ReturnType<typeof row> | undefined;
          for (const r of rows) {
            total = add(total, gaugeDelta(previous ? gauges(previous) : {}, gauges(r)));
            previous = r;
          }
          expect(withoutZeros(total)).toEqual(withoutZeros(gauges(rows.at(-1)!)));
        }),
      );
    }
  });

  it('writes nothing when a row does not change its contribution', () => {
    const gauges = rowViewOf('fallout').gauges!;
    const r = row('held', 'RETRY_BUDGET_EXHAUSTED');
    expect(gaugeDelta(gauges(r), gauges({ ...r, tasks: {} }))).toEqual({});
  });

  it('counts open fallout by reason and ignores closed reasons', () => {
    expect(
      falloutByReason({ 'openFallout#A': 2, 'openFallout#B': 0, unknownOutcomeTasks: 4, 'openFallout#C': 1 }),
    ).toEqual({ total: 3, byReason: { A: 2, C: 1 } });
  });

  it('summarises a batch lag as p95, max and the newest event time', () => {
    const lags = Array.from({ length: 20 }, (_, i) => ({
      lagMs: (i + 1) * 100,
      eventTime: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
    }));
    expect(lagSummary(lags, 'now')).toEqual({
      p95Ms: 1900,
      maxMs: 2000,
      records: 20,
      dataCurrentThrough: '2026-01-01T00:00:19Z',
      at: 'now',
    });
  });
});
