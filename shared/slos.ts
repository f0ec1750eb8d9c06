/**
 * Service level objectives (requirements 000 §20) as data beside the signal catalog: each names the
 * user journey it protects, the catalog counters that measure it (bad events over all events), its
 * objective and window. The error budget is what the objective leaves; burn rate is how fast the
 * budget is being spent (1 = exactly used up by the end of the window). Alarms follow the
 * multi-window, multi-burn-rate pattern: a fast burn (2 % of the budget in 1 h) pages, a slow burn
 * (5 % in 6 h) opens a ticket; each fires only while both its long and its short window burn, so
 * it stops soon after the burning stops. The CDK app builds CloudWatch alarms from this, the local
 * metrics sink evaluates the same definitions. No AWS or CDK imports.
 * Freshness alarms per view (and for the search index) follow at the end.
 */
import { searchIndexSpec, viewCatalog } from './domain/projections/view-catalog.ts';
import type { ViewName } from './domain/projections/views.ts';
import { type SignalName, serviceTargets } from './signals.ts';

export type SloName =
  | 'quote-to-order-conversion'
  | 'order-fulfillment-without-fallout'
  | 'approval-stays-valid'
  | 'hub-notification-delivery'
  | 'projection-freshness'
  | 'dispatch-success'
  | 'dispatch-latency'
  | 'billing-acknowledgement';

export type SloSpec = {
  title: string;
  /** The journey or outcome it protects, and what burning the budget slows (§20). */
  journey: string;
  /** Bad events over all events, both summed from catalog counters. */
  bad: SignalName[];
  total: SignalName[];
  /** Fraction of good events, e.g. 0.995. */
  objective: number;
  windowDays: number;
  ownerTeam: string;
  seed: string;
};

export const slos: Record<SloName, SloSpec> = {
  'quote-to-order-conversion': {
    title: 'Accepted quotes convert into an order',
    journey: 'Submitting an order from an accepted quote; burning the budget freezes conversion releases',
    bad: ['ConversionFailures'],
    total: ['ConversionAttempts'],
    objective: 0.995,
    windowDays: 28,
    ownerTeam: 'oms-platform',
    seed: '000 §20 one order per conversion; 003 §14.1 quote-to-order failure rate',
  },
  'order-fulfillment-without-fallout': {
    title: 'Orders fulfil without fallout',
    journey: 'Dispatching tasks and classifying fallout; high fallout counts against the budget',
    bad: ['FalloutRaised'],
    total: ['OrdersCreated'],
    objective: 0.98,
    windowDays: 28,
    ownerTeam: 'oms-ops',
    seed: '000 §20 dispatching tasks, classifying fallout; 003 §14.2 fallout rate',
  },
  'approval-stays-valid': {
    title: 'Granted approvals stay valid until acceptance',
    journey: 'An approval becoming visible and staying valid; invalidations burn the deal desk budget',
    bad: ['ApprovalInvalidated'],
    total: ['ApprovalsGranted'],
    objective: 0.95,
    windowDays: 28,
    ownerTeam: 'deal-desk',
    seed: '000 §20 an approval becoming visible; 003 §9.3 stale approvals',
  },
  'hub-notification-delivery': {
    title: 'TMF hub notifications are delivered',
    journey: 'Channels learning of quote and order changes; dead-lettered notifications burn the budget',
    bad: ['HubNotificationDeadLettered'],
    total: ['HubNotificationDelivered', 'HubNotificationDeadLettered'],
    objective: 0.999,
    windowDays: 28,
    ownerTeam: 'integration-ops',
    seed: '000 §20 billing acknowledgement and notifications; 003 §20',
  },
  'projection-freshness': {
    title: 'Views are projected within their owner’s lag target',
    journey:
      'Reading a view or dashboard that reflects the last commands; late rows (over the view’s lag target, view-catalog.ts) burn the budget',
    bad: ['ViewProjectionsLate'],
    total: ['ViewProjections'],
    objective: 0.99,
    windowDays: 28,
    ownerTeam: 'oms-platform',
    seed: '003 §10 freshness and trust, §13 lag targets, §20',
  },
  'dispatch-success': {
    title: 'Fulfillment tasks reach their downstream',
    journey: 'Dispatching a task to a downstream; a refused, rejected or timed-out call burns the budget',
    bad: ['DispatchFailed'],
    total: ['DispatchAttempts'],
    objective: 0.99,
    windowDays: 28,
    ownerTeam: 'integration-ops',
    seed: '000 §20 dispatching tasks',
  },
  'dispatch-latency': {
    title: 'Downstream calls answer within the latency target',
    journey: `Dispatching a task; a call slower than ${serviceTargets.dispatchLatencyMs} ms burns the budget`,
    bad: ['DispatchSlow'],
    total: ['DispatchAttempts'],
    objective: 0.95,
    windowDays: 28,
    ownerTeam: 'integration-ops',
    seed: '000 §20 dispatching tasks',
  },
  'billing-acknowledgement': {
    title: 'Billing acknowledges the handoff within its target',
    journey: `Handing activated services to billing; an acknowledgement later than ${serviceTargets.billingAckMs / 60_000} min after the handoff burns the budget`,
    bad: ['BillingAckLate'],
    total: ['BillingAcknowledged'],
    objective: 0.99,
    windowDays: 28,
    ownerTeam: 'billing-ops',
    seed: '000 §20 billing acknowledgement',
  },
};

export const sloNames = Object.keys(slos) as SloName[];

export type BurnWindow = {
  name: 'fast' | 'slow';
  longMinutes: number;
  shortMinutes: number;
  /** Burn rate both windows must exceed. */
  burnRate: number;
  action: 'page' | 'ticket';
};

/** Share of a 28-day budget: 14.4 × 1 h ≈ 2 %, 6 × 6 h ≈ 5 %. */
export const burnWindows: BurnWindow[] = [
  { name: 'fast', longMinutes: 60, shortMinutes: 5, burnRate: 14.4, action: 'page' },
  { name: 'slow', longMinutes: 360, shortMinutes: 30, burnRate: 6, action: 'ticket' },
];

export const errorBudget = (slo: SloSpec): number => 1 - slo.objective;

/** Burn rate of an error ratio: 1 spends the budget exactly over the window. No events: no burn. */
export const burnRate = (slo: SloSpec, bad: number, total: number): number =>
  total <= 0 ? 0 : bad / total / errorBudget(slo);

/** Budget left (1 = untouched, 0 = spent, negative = overspent) after `bad` of `total` events. */
export const budgetRemaining = (slo: SloSpec, bad: number, total: number): number =>
  total <= 0 ? 1 : 1 - bad / total / errorBudget(slo);

/** The alarm name of an SLO's burn window (after the stage prefix), the same in CloudWatch and locally. */
export const sloAlarmName = (slo: string, window: string) => `Slo-${slo}-${window}-burn`;

/**
 * Freshness alarms (requirements 003 §13): each view's p95 projection lag against the target its
 * owner declared, and the search index's against its own, over two 5-minute periods.
 */
export type FreshnessAlarm = {
  name: string;
  signal: Extract<SignalName, 'ViewProjectionLag' | 'SearchIndexLag'>;
  /** The breakdown stream (the view); absent: the signal's total stream. */
  split?: string;
  thresholdMs: number;
  owner: string;
  periodSeconds: number;
  evaluationPeriods: number;
};

export const freshnessAlarms: FreshnessAlarm[] = [
  ...(Object.entries(viewCatalog) as [ViewName, (typeof viewCatalog)[ViewName]][]).map(([view, spec]) => ({
    name: `ViewLag-${view}`,
    signal: 'ViewProjectionLag' as const,
    split: view,
    thresholdMs: spec.lagTargetMs,
    owner: spec.owner,
    periodSeconds: 300,
    evaluationPeriods: 2,
  })),
  {
    name: 'SearchIndexLag',
    signal: 'SearchIndexLag',
    thresholdMs: searchIndexSpec.lagTargetMs,
    owner: searchIndexSpec.owner,
    periodSeconds: 300,
    evaluationPeriods: 2,
  },
];
