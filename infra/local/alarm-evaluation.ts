import type { AlarmSpec, Statistic } from '#signals';

export type Datapoint = { t: number; value: number };

/** CloudWatch statistics over the values of one period. */
export const statistic = (values: number[], stat: Statistic): number | undefined => {
  if (values.length === 0) return undefined;
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'p95': {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
    }
  }
};

/** The statistic of each of the last `count` periods ending at `now`, oldest first (undefined: no data). */
export const periodValues = (
  points: Datapoint[],
  stat: Statistic,
  periodMs: number,
  count: number,
  now: number,
): (number | undefined)[] =>
  Array.from({ length: count }, (_, i) => {
    const end = now - (count - 1 - i) * periodMs;
    return statistic(
      points.filter((p) => p.t > end - periodMs && p.t <= end).map((p) => p.value),
      stat,
    );
  });

export type AlarmState = 'OK' | 'ALARM';

/**
 * What CloudWatch decides for an alarm with treatMissingData NOT_BREACHING (as the CDK app
 * sets): ALARM when each of the last `evaluationPeriods` periods has a breaching value.
 */
export const evaluateAlarm = (values: (number | undefined)[], alarm: AlarmSpec): AlarmState => {
  const breaches = (v: number | undefined) =>
    v !== undefined &&
    (alarm.comparison === 'GreaterThanThreshold' ? v > alarm.threshold : v >= alarm.threshold);
  return values.length > 0 && values.every(breaches) ? 'ALARM' : 'OK';
};
