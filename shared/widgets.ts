/**
 * The dashboard widgets (requirements 003 §9, §19) as data: each says the decision it supports,
 * who owns it, where its freshness (as-of) comes from, and what it shows (a catalog signal, and
 * the view that lists the items behind it). The CDK app renders them into the CloudWatch
 * dashboards, `GET /ops/dashboard` answers them with their values for the ops console: both from
 * this one description. No AWS or CDK imports.
 */
import { type DashboardName, type SignalName, signalNames, signals } from './signals.ts';

/**
 * How a widget shows its signal: `value` one number (and its sparkline), `split` the number per
 * breakdown value (reason, downstream, level), `stateAge` a state × age table (§19 rule 2),
 * `funnel` stages in order, `trend` a rate over time against its alarm threshold.
 */
export type WidgetShape = 'value' | 'split' | 'stateAge' | 'funnel' | 'trend';

export type WidgetSpec = {
  id: string;
  dashboard: DashboardName;
  title: string;
  decision: string;
  ownerTeam: string;
  indicator: 'leading' | 'lagging';
  /** Where the as-of comes from (§19 rule 5), in words; the API answers the instant itself. */
  freshness: string;
  shape: WidgetShape;
  signal: SignalName;
  /** The route that lists the items behind the number (drill-down), if there is one. */
  query?: string;
};

const sampled = 'sampled every minute by signal-sampler from the gauge items; as of the sample';

/** The §9 widgets beyond "one signal, one chart": their shape, drill-down and freshness. */
const overrides: Partial<Record<SignalName, Partial<WidgetSpec>>> = {
  QuotesByStateAge: { shape: 'stateAge', query: '/views/quote-worklist', freshness: sampled },
  ConversionFunnel: { shape: 'funnel', freshness: sampled },
  StaleQuotes: { query: '/views/expiring-quotes?withinDays=0' },
  OrdersByStateAge: { shape: 'stateAge', query: '/views/order-sla-risk', freshness: sampled },
  OrdersInFallout: { query: '/views/fallout' },
  FalloutByDownstream: { query: '/views/fallout' },
  RetryBacklog: { query: '/views/order-sla-risk' },
  SlaBreachForecast: { query: '/views/order-sla-risk', freshness: sampled },
  OrderChangeConflicts: { query: '/views/order-sla-risk' },
  PendingApprovalsOverSla: { query: '/views/approval-inbox' },
  ApprovalQueueByReason: { query: '/views/approval-inbox' },
  StaleApprovalsOpen: { query: '/views/stale-approvals' },
  ReconciliationDrift: {
    query: '/ops/reconciliation-runs/{runId}',
    freshness: 'as of the latest completed reconciliation run',
  },
  ActiveAssetWithoutBilling: { freshness: 'as of the latest completed reconciliation run' },
  DownstreamAheadOfOms: { freshness: 'as of the latest completed reconciliation run' },
  ProjectionLag: { freshness: 'as of the projector’s last batch (its p95 and the newest event time)' },
};

const defaultFreshness = (name: SignalName): string => {
  const spec = signals[name];
  if (spec.producer.kind === 'aws') return 'published by AWS each minute; as of the last datapoint';
  if (spec.kind === 'gauge') return sampled;
  return 'CloudWatch metric per 5-minute period; as of the last period';
};

const shapeOf = (name: SignalName): WidgetShape => {
  const spec = signals[name];
  if (spec.kind !== 'gauge') return 'trend';
  return spec.breakdown ? 'split' : 'value';
};

const leadingFirst = (a: SignalName, b: SignalName) =>
  (signals[a].indicator === 'leading' ? 0 : 1) - (signals[b].indicator === 'leading' ? 0 : 1);

/** One widget per catalog signal, leading indicators first (§19 rule 6), on the signal's dashboard. */
export const widgets: WidgetSpec[] = [...signalNames].sort(leadingFirst).map((name) => {
  const spec = signals[name];
  return {
    id: name,
    dashboard: spec.dashboard,
    title: spec.title,
    decision: spec.decision,
    ownerTeam: spec.ownerTeam,
    indicator: spec.indicator,
    freshness: defaultFreshness(name),
    shape: shapeOf(name),
    signal: name,
    ...overrides[name],
  };
});

export const widgetsOf = (dashboard: DashboardName): WidgetSpec[] =>
  widgets.filter((w) => w.dashboard === dashboard);
