/**
 * Gauges kept incrementally beside the read models: each row view may say what a row contributes
 * to its gauges (e.g. one open fallout for its reason code). A row write adds the difference
 * between the row's contribution after and before, in the same transaction, so a gauge always
 * equals the sum over the rows of the view without ever reading them all.
 */
export type GaugeContribution = Record<string, number>;

/** after − before, without zero entries (nothing to write when nothing changed). */
export const gaugeDelta = (before: GaugeContribution, after: GaugeContribution): GaugeContribution => {
  const delta: GaugeContribution = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d = (after[key] ?? 0) - (before[key] ?? 0);
    if (d !== 0) delta[key] = d;
  }
  return delta;
};

export const falloutGaugePrefix = 'openFallout#';
export const unknownTasksGauge = 'unknownOutcomeTasks';

/** Splits stored gauge values into the total and the per-reason counts of open fallout. */
export const falloutByReason = (gauges: GaugeContribution) => {
  const byReason: Record<string, number> = {};
  for (const [key, value] of Object.entries(gauges)) {
    if (key.startsWith(falloutGaugePrefix) && value > 0)
      byReason[key.slice(falloutGaugePrefix.length)] = value;
  }
  return { total: Object.values(byReason).reduce((a, b) => a + b, 0), byReason };
};

/** The projector's freshness summary of one batch (requirements 003 §19 rule 5). */
export const lagSummary = (lags: { lagMs: number; eventTime: string }[], at: string) => {
  const sorted = lags.map((l) => l.lagMs).sort((a, b) => a - b);
  return {
    p95Ms: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0,
    maxMs: sorted.at(-1) ?? 0,
    records: sorted.length,
    dataCurrentThrough:
      lags
        .map((l) => l.eventTime)
        .sort()
        .at(-1) ?? null,
    at,
  };
};
