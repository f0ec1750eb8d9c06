import { type SignalName, signalNames, signals } from '#signals';
import { freshnessAlarms, sloAlarmName } from '#slos';
import { type Datapoint, evaluateAlarm, periodValues } from './alarm-evaluation.ts';
import { evaluateSlos } from './slo-evaluation.ts';

type Emf = {
  _aws: { Timestamp?: number; CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
} & Record<string, unknown>;

// Six hours: the long window of the slow SLO burn alarm.
const retentionMs = 6 * 3_600_000;
const minuteMs = 60_000;

/**
 * Local stand-in for CloudWatch: Powertools Metrics (dev mode) writes EMF documents with
 * console.log; they are kept here as datapoints per metric and dimension, and the alarms of the
 * signal catalog are evaluated over them with the thresholds, statistics and periods the CDK app
 * gives CloudWatch. AWS-published metrics (dead-letter depth, iterator age) are recorded by the
 * local stack from its own queues and pollers.
 */
export class MetricsSink {
  private readonly points = new Map<string, Datapoint[]>();
  private readonly alarmStates = new Map<string, string>();
  /**
   * CloudWatch's notification of an alarm that enters ALARM, by the alarm's name: set by the local
   * stack, where the alarm topic's policy decides whether CloudWatch may publish it.
   */
  onAlarm?: (alarm: string) => Promise<void>;
  private original?: typeof console.log;
  private originalWarn?: typeof console.warn;

  capture(): void {
    if (this.original) return;
    const original = console.log;
    this.original = original;
    console.log = (...args: unknown[]) => {
      const first = args[0];
      if (typeof first === 'string' && first.startsWith('{"_aws"')) return this.recordEmf(first);
      original.apply(console, args);
    };
    const originalWarn = console.warn;
    this.originalWarn = originalWarn;
    // Handlers share one Metrics instance here (one process, concurrent invocations), so its
    // per-invocation warnings are noise locally; a Lambda process runs one invocation at a time.
    console.warn = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : '';
      if (
        text.startsWith('No application metrics to publish') ||
        /^Dimension ".*" has already been added/.test(text)
      ) {
        return;
      }
      originalWarn.apply(console, args);
    };
  }

  /** One datapoint of a metric; `split` is the breakdown dimension's value (absent: the total stream). */
  record(name: string, value: number, split?: string, t = Date.now()): void {
    const key = split === undefined ? name : `${name}|${split}`;
    const list = this.points.get(key) ?? [];
    list.push({ t, value });
    while (list.length > 0 && list[0]!.t < t - retentionMs) list.shift();
    this.points.set(key, list);
  }

  private recordEmf(line: string): void {
    try {
      const doc = JSON.parse(line) as Emf;
      const t = doc._aws.Timestamp ?? Date.now();
      for (const group of doc._aws.CloudWatchMetrics) {
        const extra = (group.Dimensions[0] ?? []).filter((d) => d !== 'service');
        const split = extra.length > 0 ? extra.map((d) => String(doc[d])).join(',') : undefined;
        for (const m of group.Metrics) {
          const raw = doc[m.Name];
          for (const v of Array.isArray(raw) ? raw : [raw]) {
            if (Number.isFinite(Number(v))) this.record(m.Name, Number(v), split, t);
          }
        }
      }
    } catch {
      this.original?.(line);
    }
  }

  private streamOf(name: string): Datapoint[] {
    return this.points.get(name) ?? [];
  }

  private splitsOf(name: string): Record<string, Datapoint[]> {
    const out: Record<string, Datapoint[]> = {};
    for (const [key, list] of this.points)
      if (key.startsWith(`${name}|`)) out[key.slice(name.length + 1)] = list;
    return out;
  }

  /** Ratio KPIs as CloudWatch metric math computes them: 100 × numerator / denominator per period. */
  private ratio(name: SignalName, periodMs: number, count: number, now: number): (number | undefined)[] {
    const producer = signals[name].producer;
    if (producer.kind !== 'ratio') return [];
    const num = periodValues(this.streamOf(producer.numerator), 'Sum', periodMs, count, now);
    const den = periodValues(this.streamOf(producer.denominator), 'Sum', periodMs, count, now);
    return num.map((n, i) => (den[i] ? (100 * (n ?? 0)) / den[i]! : undefined));
  }

  private values(
    name: SignalName,
    periodMs: number,
    count: number,
    now: number,
    stat = signals[name].statistic,
  ) {
    return signals[name].kind === 'kpi'
      ? this.ratio(name, periodMs, count, now)
      : periodValues(this.streamOf(name), stat, periodMs, count, now);
  }

  /** Per signal: the last 30 one-minute values, the last hour by breakdown, the alarm state. */
  snapshot(now = Date.now()) {
    const out = {
      at: new Date(now).toISOString(),
      periodSeconds: 60,
      signals: Object.fromEntries(
        signalNames.map((name) => {
          const spec = signals[name];
          const series = this.values(name, minuteMs, 30, now);
          const lastHour = this.values(name, 60 * minuteMs, 1, now)[0];
          const byBreakdown = Object.fromEntries(
            Object.entries(this.splitsOf(name)).map(([split, points]) => [
              split,
              periodValues(points, spec.statistic, 60 * minuteMs, 1, now)[0] ?? null,
            ]),
          );
          const alarm = spec.alarm
            ? {
                ...spec.alarm,
                state: evaluateAlarm(
                  this.values(
                    name,
                    spec.alarm.periodSeconds * 1000,
                    spec.alarm.evaluationPeriods,
                    now,
                    spec.alarm.statistic,
                  ),
                  spec.alarm,
                ),
              }
            : null;
          return [
            name,
            {
              unit: spec.unit,
              statistic: spec.statistic,
              series: series.map((v) => v ?? null),
              lastHour: lastHour ?? null,
              ...(spec.breakdown ? { breakdown: spec.breakdown, byBreakdown } : {}),
              alarm,
            },
          ];
        }),
      ) as Record<string, { alarm: { state: string } | null }>,
    };
    const atRisk = signalNames.filter((n) => signals[n].alarm?.ordersAtRisk);
    const composite = {
      'orders-at-risk': {
        members: atRisk,
        state: atRisk.some((n) => out.signals[n]?.alarm?.state === 'ALARM') ? 'ALARM' : 'OK',
      },
    };
    const sum = (signal: string, minutes: number, at: number) =>
      periodValues(this.streamOf(signal), 'Sum', minutes * minuteMs, 1, at)[0] ?? 0;
    const sloStates = evaluateSlos(sum, retentionMs / minuteMs, now);
    const freshness = Object.fromEntries(
      freshnessAlarms.map((a) => {
        const stream = this.streamOf(a.split ? `${a.signal}|${a.split}` : a.signal);
        const values = periodValues(stream, 'p95', a.periodSeconds * 1000, a.evaluationPeriods, now);
        const spec = {
          comparison: 'GreaterThanThreshold' as const,
          threshold: a.thresholdMs,
          statistic: 'p95' as const,
          periodSeconds: a.periodSeconds,
          evaluationPeriods: a.evaluationPeriods,
        };
        const p95 = values.at(-1);
        return [a.name, { thresholdMs: a.thresholdMs, p95: p95 ?? null, state: evaluateAlarm(values, spec) }];
      }),
    );
    this.notifyTransitions({
      ...Object.fromEntries(Object.entries(out.signals).map(([n, v]) => [n, v.alarm?.state])),
      OrdersAtRisk: composite['orders-at-risk'].state,
      ...Object.fromEntries(Object.entries(freshness).map(([n, f]) => [n, f.state])),
      ...Object.fromEntries(
        Object.entries(sloStates).flatMap(([slo, s]) =>
          Object.entries(s.burn).map(([w, b]) => [sloAlarmName(slo, w), b.state]),
        ),
      ),
    });
    return { ...out, composite, slos: sloStates, freshness };
  }

  private notifyTransitions(states: Record<string, string | undefined>): void {
    for (const [alarm, state] of Object.entries(states)) {
      if (state === undefined) continue;
      const before = this.alarmStates.get(alarm);
      this.alarmStates.set(alarm, state);
      // A refused notification is recorded by the IAM check itself; nothing else is to be done.
      if (state === 'ALARM' && before !== 'ALARM') void this.onAlarm?.(alarm).catch(() => undefined);
    }
  }

  release(): void {
    if (this.original) console.log = this.original;
    if (this.originalWarn) console.warn = this.originalWarn;
    this.original = undefined;
    this.originalWarn = undefined;
  }
}
