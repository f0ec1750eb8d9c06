import { describe, expect, it } from 'vitest';
import { periodBound } from '#domain/reporting/kpi-period';

describe('KPI period bounds (GET /reports/kpis from/to)', () => {
  it('accepts ISO 8601 dates and timestamps, counting a timestamp from its UTC day', () => {
    expect(periodBound.parse('2026-12-05')).toBe('2026-12-05');
    expect(periodBound.parse('2026-12-05T16:00:00.000Z')).toBe('2026-12-05');
    expect(periodBound.parse('2026-12-05T23:30:00Z')).toBe('2026-12-05');
    expect(periodBound.parse('2026-12-06T01:00:00+02:00')).toBe('2026-12-05');
  });

  it('refuses what is not a date', () => {
    for (const bad of ['x', '2026-13-01', '05/12/2026', '2026-12-05T25:00:00Z', '']) {
      expect(periodBound.safeParse(bad).success, bad).toBe(false);
    }
  });
});
