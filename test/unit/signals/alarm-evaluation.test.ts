import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlarmSpec } from '#signals';
import { evaluateAlarm, periodValues, statistic } from '../../../infra/local/alarm-evaluation.ts';

const alarm = (over: Partial<AlarmSpec> = {}): AlarmSpec => ({
  comparison: 'GreaterThanThreshold',
  threshold: 0,
  statistic: 'Maximum',
  periodSeconds: 60,
  evaluationPeriods: 3,
  ...over,
});

describe('local alarm evaluation (what CloudWatch decides, notBreaching)', () => {
  it('computes the CloudWatch statistics', () => {
    expect(statistic([1, 5, 3], 'Sum')).toBe(9);
    expect(statistic([1, 5, 3], 'Maximum')).toBe(5);
    expect(statistic([1, 5, 3], 'Minimum')).toBe(1);
    expect(statistic([1, 5, 3], 'Average')).toBe(3);
    expect(
      statistic(
        Array.from({ length: 100 }, (_, i) => i + 1),
        'p95',
      ),
    ).toBe(95);
    expect(statistic([], 'Sum')).toBeUndefined();
  });

  it('splits datapoints into the last N periods ending now, oldest first', () => {
    const now = 1_000_000;
    const points = [
      { t: now - 150_000, value: 1 },
      { t: now - 90_000, value: 2 },
      { t: now - 30_000, value: 4 },
      { t: now - 10_000, value: 8 },
    ];
    expect(periodValues(points, 'Sum', 60_000, 3, now)).toEqual([1, 2, 12]);
    expect(periodValues(points, 'Sum', 60_000, 4, now)).toEqual([undefined, 1, 2, 12]);
  });

  it('is in ALARM only when every evaluated period has a breaching value', () => {
    expect(evaluateAlarm([1, 2, 3], alarm())).toBe('ALARM');
    expect(evaluateAlarm([1, undefined, 3], alarm())).toBe('OK');
    expect(evaluateAlarm([1, 0, 3], alarm())).toBe('OK');
    expect(evaluateAlarm([1, 1], alarm({ comparison: 'GreaterThanOrEqualToThreshold', threshold: 1 }))).toBe(
      'ALARM',
    );
    expect(evaluateAlarm([], alarm())).toBe('OK');
  });

  it('agrees with the definition for any values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined }), {
          minLength: 1,
          maxLength: 6,
        }),
        (values) => {
          const expected = values.every((v) => v !== undefined && v > 0) ? 'ALARM' : 'OK';
          expect(evaluateAlarm(values, alarm())).toBe(expected);
        },
      ),
    );
  });
});
