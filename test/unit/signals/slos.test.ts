import { describe, expect, it } from 'vitest';
import { signals } from '#signals';
import { budgetRemaining, burnRate, burnWindows, sloNames, slos } from '#slos';
import { evaluateSlos } from '../../../infra/local/slo-evaluation.ts';

describe('SLOs as data beside the signal catalog', () => {
  it.each(sloNames)('%s measures with catalog counters and has an objective, window and owner', (name) => {
    const slo = slos[name];
    for (const s of [...slo.bad, ...slo.total]) expect(signals[s].kind, s).toBe('counter');
    expect(slo.objective).toBeGreaterThan(0.9);
    expect(slo.objective).toBeLessThan(1);
    expect(slo.windowDays).toBeGreaterThan(0);
    expect(slo.ownerTeam).not.toBe('');
  });

  it('has SLOs on projection freshness, dispatch success and latency, and billing acknowledgement (000 §20)', () => {
    expect(slos['projection-freshness']).toMatchObject({
      bad: ['ViewProjectionsLate'],
      total: ['ViewProjections'],
    });
    expect(slos['dispatch-success']).toMatchObject({ bad: ['DispatchFailed'], total: ['DispatchAttempts'] });
    expect(slos['dispatch-latency']).toMatchObject({ bad: ['DispatchSlow'], total: ['DispatchAttempts'] });
    expect(slos['billing-acknowledgement']).toMatchObject({
      bad: ['BillingAckLate'],
      total: ['BillingAcknowledged'],
    });
    // Slow billing burns the billing SLO in the local sink as in CloudWatch: 5 % late against a 1 % budget.
    const burning = evaluateSlos(
      (signal, minutes) => ({ BillingAcknowledged: 20, BillingAckLate: 1 })[signal]! * minutes || 0,
      360,
      Date.parse('2026-12-06T12:00:00.000Z'),
    );
    expect(burning['billing-acknowledgement'].burn.slow.state).toBe('OK');
    expect(burning['billing-acknowledgement'].burn.fast.longBurnRate).toBeCloseTo(5);
  });

  it('a burn rate of 1 spends the budget exactly; the fast window pages on 2 % of it in an hour', () => {
    const slo = slos['order-fulfillment-without-fallout'];
    expect(burnRate(slo, 2, 100)).toBeCloseTo(1);
    expect(budgetRemaining(slo, 1, 100)).toBeCloseTo(0.5);
    expect(burnRate(slo, 0, 0)).toBe(0);
    const fast = burnWindows.find((w) => w.name === 'fast')!;
    expect((fast.burnRate * fast.longMinutes) / (slo.windowDays * 24 * 60)).toBeCloseTo(0.02, 2);
  });
});

describe('local metrics sink: SLO burn-rate alarms', () => {
  const now = Date.parse('2026-12-06T12:00:00.000Z');
  /** Counters as the sink sums them: `perMinute[signal]` every minute of the last `minutes`. */
  const sums =
    (perMinute: Record<string, number>, sinceMinutesAgo = Number.POSITIVE_INFINITY) =>
    (signal: string, minutes: number) =>
      (perMinute[signal] ?? 0) * Math.min(minutes, sinceMinutesAgo);

  it('fires the fast burn only while both its long and its short window burn', () => {
    // 50 % of orders fall out: burn rate 25 against a 2 % budget, over every window.
    const burning = evaluateSlos(sums({ OrdersCreated: 10, FalloutRaised: 5 }), 360, now);
    expect(burning['order-fulfillment-without-fallout'].burn.fast).toMatchObject({ state: 'ALARM' });
    expect(burning['order-fulfillment-without-fallout'].burn.slow).toMatchObject({ state: 'ALARM' });
    expect(burning['order-fulfillment-without-fallout'].budgetRemaining).toBeLessThan(0);
    expect(burning['quote-to-order-conversion'].burn.fast.state).toBe('OK');

    // The same failures stopped 5 minutes ago: the hour still burns, the fast short window does
    // not, so the page stops; the slow alarm's 30-minute window still burns.
    const stopped = evaluateSlos(
      (signal, minutes) => {
        if (signal === 'OrdersCreated') return 10 * minutes;
        return signal === 'FalloutRaised' && minutes > 5 ? 5 * (minutes - 5) : 0;
      },
      360,
      now,
    );
    const fallout = stopped['order-fulfillment-without-fallout'];
    expect(fallout.burn.fast.longBurnRate).toBeGreaterThan(14.4);
    expect(fallout.burn.fast.state).toBe('OK');
    expect(fallout.burn.slow.state).toBe('ALARM');
  });

  it('a healthy error ratio burns below 1 and fires nothing', () => {
    const healthy = evaluateSlos(sums({ OrdersCreated: 100, FalloutRaised: 1 }), 360, now);
    const s = healthy['order-fulfillment-without-fallout'];
    expect(s.burn.fast.longBurnRate).toBeCloseTo(0.5);
    expect(Object.values(s.burn).every((b) => b.state === 'OK')).toBe(true);
    expect(s.budgetRemaining).toBeCloseTo(0.5);
  });
});
