import { describe, expect, it } from 'vitest';
import { viewCatalog } from '#domain/projections/view-catalog';
import { MetricsSink } from '#local/metrics-sink';

/** The local CloudWatch evaluates each view's lag against its own target (shared/slos.ts freshnessAlarms). */
describe('local freshness alarms per view', () => {
  it('alarms the view whose p95 lag is over its target, not a slower view within its own', async () => {
    const sink = new MetricsSink();
    const published: string[] = [];
    sink.onAlarm = async (alarm) => {
      published.push(alarm);
    };
    const now = Date.now();
    // 20 s: over the approval inbox's 10 s target, within the fallout view's 30 s.
    const lag = 20_000;
    expect(viewCatalog['approval-inbox'].lagTargetMs).toBeLessThan(lag);
    expect(viewCatalog.fallout.lagTargetMs).toBeGreaterThan(lag);
    for (let t = now - 11 * 60_000; t <= now; t += 10_000) {
      sink.record('ViewProjectionLag', lag, 'approval-inbox', t);
      sink.record('ViewProjectionLag', lag, 'fallout', t);
      sink.record('SearchIndexLag', 1_000, undefined, t);
    }
    const snapshot = sink.snapshot(now);
    expect(snapshot.freshness['ViewLag-approval-inbox']).toMatchObject({
      state: 'ALARM',
      thresholdMs: 10_000,
    });
    expect(snapshot.freshness['ViewLag-fallout']).toMatchObject({ state: 'OK', thresholdMs: 30_000 });
    expect(snapshot.freshness.SearchIndexLag).toMatchObject({ state: 'OK', p95: 1_000 });
    expect(published).toEqual(['ViewLag-approval-inbox']);
  });
});
