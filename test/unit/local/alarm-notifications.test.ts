import { describe, expect, it } from 'vitest';
import { MetricsSink } from '#local/metrics-sink';
import { signals } from '#signals';

/** The local CloudWatch: an alarm that enters ALARM is published once, not on every evaluation. */
describe('local alarm notifications', () => {
  it('publishes an alarm (and the composite it belongs to) when it enters ALARM, once', async () => {
    const sink = new MetricsSink();
    const published: string[] = [];
    sink.onAlarm = async (alarm) => {
      published.push(alarm);
    };
    const now = Date.now();
    sink.snapshot(now);
    expect(published).toEqual([]);

    const alarm = signals.DeadLetterDepth.alarm!;
    const spanMs = alarm.periodSeconds * 1000 * (alarm.evaluationPeriods + 1);
    for (let t = now - spanMs; t <= now; t += 10_000)
      sink.record('DeadLetterDepth', alarm.threshold + 1, undefined, t);
    sink.snapshot(now);
    sink.snapshot(now + 1);
    expect(published.sort()).toEqual(['DeadLetterDepth', 'OrdersAtRisk']);
  });
});
