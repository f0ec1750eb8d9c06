import type { GaugeContribution } from './gauges.ts';
import { type OrderTrackingRow, slaRiskOf } from './order-tracking.ts';
import { pendingApprovalOf, type QuoteSummaryRow } from './quote-summary.ts';

/**
 * What a quote or order row adds to the operational dashboards of requirements 003 §9: state ×
 * age (rule 2), the conversion funnel, fallout by downstream, the retry backlog, the SLA breach
 * forecast and the approval queue by reason. Kept like the other gauges (gauges.ts): the row's
 * contribution depends on the row alone, so each write adds the difference and the dashboard
 * reads one item. Age needs a clock: the row contributes the hour it entered its state, and the
 * reader buckets those hours by their age at read time.
 */

const openQuoteStates = new Set(['inProgress', 'pending', 'approved']);
const closedOrderStates = new Set(['completed', 'cancelled', 'rejected', 'failed']);
const finishedTaskStates = new Set(['DONE', 'CANCELLED']);

export const gaugeKeys = {
  stateHour: 'st#',
  funnel: 'fn#',
  falloutDownstream: 'fd#',
  retryBacklog: 'rb#',
  slaRisk: 'sla#',
  jeopardy: 'jp#',
  approvalQueue: 'aq#',
  staleApproval: 'sa',
} as const;

/** The hour an instant falls in (`2026-07-02T10`), or `unknown` when there is none. */
export const hourOf = (iso: string | undefined): string =>
  iso && !Number.isNaN(Date.parse(iso)) ? new Date(Date.parse(iso)).toISOString().slice(0, 13) : 'unknown';

const one = (key: string): GaugeContribution => ({ [key]: 1 });

/** An order's contribution: open orders by state and hour entered, and what puts them at risk. */
export const orderDashboardGauges = (row: OrderTrackingRow): GaugeContribution => {
  const g: GaugeContribution = {};
  const add = (key: string, n = 1) => {
    g[key] = (g[key] ?? 0) + n;
  };
  if (row.quoteId) {
    add(`${gaugeKeys.funnel}ordered`);
    if (row.state === 'completed') add(`${gaugeKeys.funnel}completed`);
  }
  if (closedOrderStates.has(row.state)) return g;
  add(`${gaugeKeys.stateHour}${row.state}#${hourOf(row.stateSince ?? row.orderDate)}`);
  add(`${gaugeKeys.slaRisk}${slaRiskOf(row).level}`);
  if (row.jeopardy) add(`${gaugeKeys.jeopardy}${row.jeopardy.type}`);
  if (row.fallout) {
    const task = row.fallout.taskId ? row.tasks[row.fallout.taskId] : undefined;
    add(`${gaugeKeys.falloutDownstream}${task?.downstream ?? 'none'}`);
  }
  for (const task of Object.values(row.tasks)) {
    if (finishedTaskStates.has(task.state)) continue;
    if (task.attempts > 1 || task.lastErrorCode) add(`${gaugeKeys.retryBacklog}${task.downstream ?? 'none'}`);
  }
  return g;
};

/**
 * A quote's contribution: open quotes by state and the hour the quote was created (the summary
 * row keeps no state-entry time), the funnel stages it reached, pending approvals by reason.
 */
export const quoteDashboardGauges = (row: QuoteSummaryRow): GaugeContribution => {
  const g: GaugeContribution = { ...one(`${gaugeKeys.funnel}created`) };
  const requested = Object.keys(row.requests).length > 0;
  if (requested || !['inProgress', 'cancelled'].includes(row.state)) g[`${gaugeKeys.funnel}submitted`] = 1;
  if (row.state === 'approved' || row.state === 'accepted' || row.approval?.status === 'APPROVED')
    g[`${gaugeKeys.funnel}approved`] = 1;
  if (row.state === 'accepted') g[`${gaugeKeys.funnel}accepted`] = 1;
  if (!openQuoteStates.has(row.state)) return g;
  g[
    `${gaugeKeys.stateHour}${row.state}#${hourOf(row.validFor.startDateTime ?? row.freshness.sourceEventTime)}`
  ] = 1;
  for (const reason of pendingApprovalOf(row)?.reasonCodes ?? [])
    g[`${gaugeKeys.approvalQueue}${reason}`] = (g[`${gaugeKeys.approvalQueue}${reason}`] ?? 0) + 1;
  if (row.approval?.status === 'INVALIDATED') g[gaugeKeys.staleApproval] = 1;
  return g;
};

/** Requirements 003 §19 rule 2: "31 older than 2 hours, 8 older than 24 hours". */
export const ageBuckets = [
  { name: 'under2h', belowHours: 2 },
  { name: '2to24h', belowHours: 24 },
  { name: 'over24h', belowHours: Number.POSITIVE_INFINITY },
] as const;
export type AgeBucket = (typeof ageBuckets)[number]['name'];

/**
 * Counts by state and age bucket. A row entered its state within its hour, so its age is at least
 * `now − (hour + 1 h)`: a count says "certainly older than", never more.
 */
export const stateByAge = (gauges: GaugeContribution, now: string) => {
  const t = Date.parse(now);
  const byState: Record<string, Record<AgeBucket, number>> = {};
  for (const [key, n] of Object.entries(gauges)) {
    if (!key.startsWith(gaugeKeys.stateHour) || n <= 0) continue;
    const [state, hour] = key.slice(gaugeKeys.stateHour.length).split('#') as [string, string];
    const entered = hour === 'unknown' ? Number.NaN : Date.parse(`${hour}:00:00.000Z`) + 3_600_000;
    const ageHours = Number.isNaN(entered)
      ? Number.POSITIVE_INFINITY
      : Math.max(0, (t - entered) / 3_600_000);
    const bucket = ageBuckets.find((b) => ageHours < b.belowHours)!.name;
    byState[state] ??= { under2h: 0, '2to24h': 0, over24h: 0 };
    byState[state][bucket] += n;
  }
  return byState;
};

/** The gauges under one prefix, by what follows it (positive counts only). */
export const countsOf = (gauges: GaugeContribution, prefix: string): Record<string, number> =>
  Object.fromEntries(
    Object.entries(gauges)
      .filter(([k, n]) => k.startsWith(prefix) && n > 0)
      .map(([k, n]) => [k.slice(prefix.length), n]),
  );

export const totalOf = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((a, b) => a + b, 0);

/** Hour keys no row holds any more: the sampler removes them so the gauge item stays small. */
export const emptyHourKeys = (gauges: GaugeContribution): string[] =>
  Object.entries(gauges)
    .filter(([k, n]) => k.startsWith(gaugeKeys.stateHour) && n === 0)
    .map(([k]) => k);

export const funnelStages = ['created', 'submitted', 'approved', 'accepted', 'ordered', 'completed'] as const;

/** The quote-to-order funnel, each stage with its share of the quotes created. */
export const conversionFunnel = (quoteGauges: GaugeContribution, orderGauges: GaugeContribution) => {
  const counts = { ...countsOf(quoteGauges, gaugeKeys.funnel), ...countsOf(orderGauges, gaugeKeys.funnel) };
  const created = counts.created ?? 0;
  return funnelStages.map((stage) => ({
    stage,
    count: counts[stage] ?? 0,
    ofCreated: created === 0 ? null : Math.round(((counts[stage] ?? 0) / created) * 1000) / 10,
  }));
};
