/**
 * The signal catalog: every domain reliability signal (requirements 000 §19.2) and the KPIs of requirements 003
 * §14 the system can compute, as plain data beside the topology. The metrics module emits only
 * what is named here; the CDK app builds the CloudWatch dashboards and alarms from it; the local
 * metrics sink evaluates the same alarms; the ops console shows it. No AWS or CDK imports.
 */
import type { FunctionName } from './topology.ts';

export const metricNamespace = 'CpqOms';
export const metricService = 'cpq-oms';

export type DashboardName = 'quote-operations' | 'order-operations' | 'deal-desk' | 'finance-reconciliation';

export type DashboardSpec = {
  title: string;
  /** Requirements 003 §19 rule 1: the decision the dashboard supports, who owns it, what follows red. */
  decision: string;
  ownerTeam: string;
  cadence: string;
};

export const dashboards: Record<DashboardName, DashboardSpec> = {
  'quote-operations': {
    title: 'Quote operations',
    decision: 'Which quotes need a seller or pricing action now (re-price, renew, chase a stuck conversion)',
    ownerTeam: 'cpq-sales-ops',
    cadence: 'several times a day',
  },
  'order-operations': {
    title: 'Order operations',
    decision: 'Which orders need repair now, by whom, and whether fulfillment is degrading',
    ownerTeam: 'oms-ops',
    cadence: 'continuously (on-call)',
  },
  'deal-desk': {
    title: 'Deal desk',
    decision: 'Which approvals to work first and whether approval policy or routing needs adjusting',
    ownerTeam: 'deal-desk',
    cadence: 'hourly',
  },
  'finance-reconciliation': {
    title: 'Finance / reconciliation',
    decision: 'Which cross-system drift to repair before billing and month-end close',
    ownerTeam: 'finance-ops',
    cadence: 'daily and after each reconciliation run',
  },
};

export type Unit = 'Count' | 'Milliseconds' | 'Seconds' | 'Percent';
export type Statistic = 'Sum' | 'Maximum' | 'Minimum' | 'Average' | 'p95';

export type AlarmSpec = {
  comparison: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold';
  threshold: number;
  statistic: Statistic;
  periodSeconds: number;
  evaluationPeriods: number;
  /** Member of the composite alarm "orders at risk". */
  ordersAtRisk?: boolean;
};

/**
 * How a signal comes to exist:
 * - `emitted`: these functions emit it through `#plumbing/metrics` (a test checks each one does);
 *   `refusals` names the refused commands (error code, operation) the metrics module counts.
 * - `aws`: a metric AWS publishes itself (the local stack samples the same quantity).
 * - `ratio`: a KPI computed from two emitted signals (CloudWatch metric math; the local sink too).
 */
export type Producer =
  | {
      kind: 'emitted';
      functions: FunctionName[];
      how: string;
      refusals?: { codes?: string[]; operations?: string[]; exceptCodes?: string[] };
    }
  | { kind: 'aws'; namespace: string; metricName: string; dimension: string; how: string }
  /** numerator / denominator name other signals of the catalog (test/unit/signals checks them). */
  | { kind: 'ratio'; numerator: string; denominator: string; how: string };

export type SignalSpec = {
  title: string;
  unit: Unit;
  /** counter: events per period; gauge: a level sampled each period; distribution: per-event values. */
  kind: 'counter' | 'gauge' | 'distribution' | 'kpi';
  /** Dimensions of the alarmed stream besides `service` (none: one stream per signal). */
  dimensions: string[];
  /** A second stream split by this dimension, for the widget (reason codes, operations, ...). */
  breakdown?: string;
  producer: Producer;
  dashboard: DashboardName;
  /** Requirements 003 §19 rule 6. */
  indicator: 'leading' | 'lagging';
  decision: string;
  ownerTeam: string;
  /** Statistic the widget and the ops dashboard show. */
  statistic: Statistic;
  alarm?: AlarmSpec;
  runbook: string;
  /** The requirements it answers, keys of docs/requirements.md (`000 §19.2 <signal>; 003 §9.2 …`). */
  seed: string;
};

/**
 * The latency targets the SLOs of shared/slos.ts count against (a dispatch slower than its target,
 * a billing handoff acknowledged later than its target is a bad event).
 */
export const serviceTargets = {
  dispatchLatencyMs: 2_000,
  billingAckMs: 15 * 60_000,
} as const;

const sampler = (how: string) => ({ kind: 'emitted', functions: ['signal-sampler'], how }) satisfies Producer;
const minutes = (n: number) => n * 60;

const catalog = {
  // ── quote operations ──────────────────────────────────────────────────────────────────────
  StaleQuotes: {
    title: 'Open quotes past their validity',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    producer: sampler(
      'signal-sampler counts the expiring-quotes view rows whose validFor.endDateTime has passed (key range of the sparse index: only those rows are read)',
    ),
    dashboard: 'quote-operations',
    indicator: 'leading',
    decision: 'Renew or close quotes before a customer accepts a stale commitment',
    ownerTeam: 'cpq-sales-ops',
    statistic: 'Maximum',
    runbook:
      'Open /views/expiring-quotes?withinDays=0; sellers re-price (new revision) or let the quote expire.',
    seed: '000 §19.2 stale quote count; 003 §9.1',
  },
  StalePriceRejected: {
    title: 'Commands refused: priced on a superseded price book',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'operation',
    producer: {
      kind: 'emitted',
      functions: ['quote-submit', 'quote-accept', 'quote-approval'],
      how: 'the metrics module counts every STALE_PRICE refusal of a quote command',
      refusals: { codes: ['STALE_PRICE'] },
    },
    dashboard: 'quote-operations',
    indicator: 'leading',
    decision: 'Warn sellers after a catalog release; re-price open quotes in bulk if it keeps rising',
    ownerTeam: 'cpq-pricing',
    statistic: 'Sum',
    runbook:
      'Check the latest catalog release (GET /catalog); affected quotes must be re-priced (POST /quotes/{id}/price).',
    seed: '000 §19.2 stale price count; 003 §9.1 stale quotes caused by catalog/price changes',
  },
  CommandRejected: {
    title: 'Commands refused with a domain code',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'code',
    producer: {
      kind: 'emitted',
      functions: ['quote-create', 'quote-price', 'quote-submit', 'quote-accept', 'order-create'],
      how: 'the metrics module counts every 4xx business refusal, by domain code',
      refusals: {},
    },
    dashboard: 'quote-operations',
    indicator: 'leading',
    decision: 'Fix product rules or seller guidance when one refusal code dominates',
    ownerTeam: 'cpq-platform',
    statistic: 'Sum',
    runbook:
      'Group by code; a new dominant code after a release points at catalog rules (requirements 003 §15 catalog quality).',
    seed: '000 §19.1 validation failures; 003 §9.1 quotes blocked by validation errors',
  },
  DegradedResponse: {
    title: 'Quotes answered while the catalog could not be verified',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['quote-create', 'quote-get'],
      how: 'quote responses built while the catalog is unreadable are counted (degraded mode: drafts only)',
    },
    dashboard: 'quote-operations',
    indicator: 'leading',
    decision: 'Whether sellers are working on drafts that cannot be priced or submitted yet',
    ownerTeam: 'cpq-platform',
    statistic: 'Sum',
    runbook:
      'The catalog store is unreadable: check /health and the catalog table; submit and accept answer 503 until it is back.',
    seed: '000 §18 degraded mode',
  },
  DependencyUnavailable: {
    title: 'Commands refused: a dependency could not be proven (503)',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'code',
    producer: {
      kind: 'emitted',
      functions: ['quote-submit', 'quote-accept', 'order-create'],
      how: 'the error mapping counts each 503 answered because a price book, policy or store was unavailable',
    },
    dashboard: 'quote-operations',
    indicator: 'leading',
    decision: 'Whether commitments are being refused because a dependency is down',
    ownerTeam: 'cpq-platform',
    statistic: 'Sum',
    alarm: {
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 5,
      statistic: 'Sum',
      periodSeconds: 5 * 60,
      evaluationPeriods: 1,
    },
    runbook:
      'Five or more 503 refusals in 5 min: /health names the degraded component; clients retry after Retry-After.',
    seed: '000 §18 degraded mode; §19.1 errors',
  },
  DuplicateSubmitAttempts: {
    title: 'Duplicate submissions (idempotent replays and in-flight duplicates)',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'operation',
    producer: {
      kind: 'emitted',
      functions: ['quote-create', 'quote-submit', 'quote-accept', 'order-create'],
      how: 'the idempotency layer counts a replayed response and a request refused as still in progress',
    },
    dashboard: 'quote-operations',
    indicator: 'leading',
    decision: 'Find channels that retry too eagerly (UX or client timeout problem)',
    ownerTeam: 'channel-integration',
    statistic: 'Sum',
    runbook:
      'Split by operation; a rising count from one channel means its client timeout is shorter than our p99.',
    seed: '000 §19.2 duplicate submit attempts',
  },
  DuplicateConversionAttempts: {
    title: 'Conversions refused: quote already converted',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['order-create'],
      how: 'the metrics module counts QUOTE_ALREADY_CONVERTED refusals',
      refusals: { codes: ['QUOTE_ALREADY_CONVERTED'] },
    },
    dashboard: 'quote-operations',
    indicator: 'leading',
    decision: 'Find channels that submit the same quote twice with new keys',
    ownerTeam: 'channel-integration',
    statistic: 'Sum',
    runbook: 'The refusal names the existing order; tell the channel to use it instead of a new key.',
    seed: '000 §19.2 duplicate submit attempts',
  },
  ConversionAttempts: {
    title: 'Quote-to-order conversion attempts',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: { kind: 'emitted', functions: ['order-create'], how: 'order-create counts each attempt' },
    dashboard: 'quote-operations',
    indicator: 'lagging',
    decision: 'Denominator of the conversion KPIs',
    ownerTeam: 'oms-platform',
    statistic: 'Sum',
    runbook: 'Traffic signal; compare with OrdersCreated.',
    seed: '003 §14.1 quote conversion rate',
  },
  ConversionFailures: {
    title: 'Quote-to-order conversions refused',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'code',
    producer: {
      kind: 'emitted',
      functions: ['order-create'],
      how: 'the metrics module counts order-create refusals other than an already converted quote',
      refusals: { operations: ['order-create'], exceptCodes: ['QUOTE_ALREADY_CONVERTED'] },
    },
    dashboard: 'quote-operations',
    indicator: 'leading',
    decision: 'Fix the quote→order boundary when accepted quotes cannot be converted',
    ownerTeam: 'oms-platform',
    statistic: 'Sum',
    runbook: 'Split by code; accepted quotes left unconverted also appear as reconciliation findings.',
    seed: '000 §19.2 quote-to-order conversion failures',
  },
  QuoteToOrderFailureRate: {
    title: 'Quote-to-order failure rate',
    unit: 'Percent',
    kind: 'kpi',
    dimensions: [],
    producer: {
      kind: 'ratio',
      numerator: 'ConversionFailures',
      denominator: 'ConversionAttempts',
      how: 'ConversionFailures / ConversionAttempts',
    },
    dashboard: 'quote-operations',
    indicator: 'lagging',
    decision: 'Prioritise boundary fixes against other work',
    ownerTeam: 'oms-platform',
    statistic: 'Sum',
    alarm: {
      comparison: 'GreaterThanThreshold',
      threshold: 20,
      statistic: 'Sum',
      periodSeconds: minutes(60),
      evaluationPeriods: 1,
    },
    runbook:
      'More than 20 % of conversions refused in an hour: check ConversionFailures by code and the last catalog release.',
    seed: '003 §14.1 quote-to-order failure rate',
  },
  QuotesByStateAge: {
    title: 'Open quotes by state and age',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'stateAge',
    producer: sampler(
      'the projector adds each open quote to a gauge item under its state and creation hour; signal-sampler buckets the hours by age (under 2 h, 2–24 h, over 24 h) and emits one stream per state and bucket',
    ),
    dashboard: 'quote-operations',
    indicator: 'leading',
    decision: 'Which quote states are piling up and for how long: chase the oldest bucket first',
    ownerTeam: 'cpq-sales-ops',
    statistic: 'Maximum',
    runbook:
      'A state whose over-24h bucket grows: open /views/quote-worklist (oldest first) and work its next actions.',
    seed: '003 §9.1 quotes by state and age; §19 rule 2',
  },
  ConversionFunnel: {
    title: 'Quote-to-order conversion funnel',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'stage',
    producer: sampler(
      'the projector counts each quote once per funnel stage it reached (created, submitted, approved, accepted) and each order from a quote (ordered, completed); signal-sampler emits the stages',
    ),
    dashboard: 'quote-operations',
    indicator: 'lagging',
    decision: 'Where quotes drop out between creation and a completed order (pricing, approval, handoff)',
    ownerTeam: 'cpq-sales-ops',
    statistic: 'Maximum',
    runbook:
      'A stage whose share falls after a release: compare with CommandRejected by code and QuoteToOrderFailureRate.',
    seed: '003 §9.1 quote conversion funnel; §14.1 quote conversion rate',
  },
  OrdersCreated: {
    title: 'Orders created',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: { kind: 'emitted', functions: ['order-create'], how: 'order-create counts each new order' },
    dashboard: 'order-operations',
    indicator: 'lagging',
    decision: 'Denominator of the order KPIs',
    ownerTeam: 'oms-platform',
    statistic: 'Sum',
    runbook: 'Traffic signal.',
    seed: '003 §14.2 order submit success rate',
  },
  OrderSubmitSuccessRate: {
    title: 'Order submit success rate',
    unit: 'Percent',
    kind: 'kpi',
    dimensions: [],
    producer: {
      kind: 'ratio',
      numerator: 'OrdersCreated',
      denominator: 'ConversionAttempts',
      how: 'OrdersCreated / ConversionAttempts',
    },
    dashboard: 'order-operations',
    indicator: 'lagging',
    decision: 'Front-door reliability trend',
    ownerTeam: 'oms-platform',
    statistic: 'Sum',
    runbook:
      'Low rate with few ConversionFailures means replays or outages; check DuplicateSubmitAttempts and 5xx.',
    seed: '003 §14.2 order submit success rate',
  },
  // ── order operations ──────────────────────────────────────────────────────────────────────
  OrdersInFallout: {
    title: 'Orders in fallout',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'reasonCode',
    producer: sampler(
      'the projector adds ±1 per reason to a gauge item in the same transaction as the fallout row; signal-sampler emits it',
    ),
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Assign repair work by reason code and owner team',
    ownerTeam: 'oms-ops',
    statistic: 'Maximum',
    runbook:
      'Open the fallout board (/ops/console or /views/fallout); each item names owner team and next action.',
    seed: '000 §19.2 orders in fallout; 003 §9.2 fallout by reason code',
  },
  OldestFalloutAge: {
    title: 'Age of the oldest open fallout',
    unit: 'Seconds',
    kind: 'gauge',
    dimensions: [],
    producer: sampler('signal-sampler reads the first row of the fallout view (sorted by since): one item'),
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Escalate fallout that is about to breach the customer SLA',
    ownerTeam: 'oms-ops',
    statistic: 'Maximum',
    alarm: {
      comparison: 'GreaterThanThreshold',
      threshold: 4 * 3600,
      statistic: 'Maximum',
      periodSeconds: minutes(5),
      evaluationPeriods: 1,
      ordersAtRisk: true,
    },
    runbook:
      'Oldest fallout older than 4 h: page the owner team on the fallout board; repair via POST /ops/orders/{id}/tasks/{task}/repair.',
    seed: '000 §19.2 oldest fallout age; 003 §9.2 manual repair queue age',
  },
  FalloutRaised: {
    title: 'Fallouts raised',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'reasonCode',
    producer: {
      kind: 'emitted',
      functions: ['fulfillment-record'],
      how: 'fulfillment-record counts each recorded FALLOUT outcome',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Spot a new failure mode (reason code) early',
    ownerTeam: 'oms-ops',
    statistic: 'Sum',
    runbook: 'A reason code rising in the last hour: look at the downstream named by the fallout items.',
    seed: '003 §9.2 fallout by reason code; §15 fulfillment quality',
  },
  JeopardyRaised: {
    title: 'Jeopardy alerts raised (orders at risk of or past their expected completion)',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'jeopardyType',
    producer: {
      kind: 'emitted',
      functions: ['jeopardy-sweep'],
      how: 'jeopardy-sweep counts each jeopardyAlert it raises (atRisk, breached), once per order and level',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Which orders to expedite or tell the customer about before (or as) they miss completion',
    ownerTeam: 'oms-ops',
    statistic: 'Sum',
    runbook:
      'GET the order: each jeopardyAlert names its items, owner team and next action; breached ones need a customer call.',
    seed: '000 §20 SLOs; TMF622 jeopardyAlert',
  },
  FalloutRate: {
    title: 'Fallout rate',
    unit: 'Percent',
    kind: 'kpi',
    dimensions: [],
    producer: {
      kind: 'ratio',
      numerator: 'FalloutRaised',
      denominator: 'OrdersCreated',
      how: 'FalloutRaised / OrdersCreated',
    },
    dashboard: 'order-operations',
    indicator: 'lagging',
    decision: 'Fulfillment quality trend for decomposition and integration fixes',
    ownerTeam: 'oms-platform',
    statistic: 'Sum',
    runbook: 'Trend only; act on the leading signals (FalloutRaised by reason).',
    seed: '003 §14.2 fallout rate',
  },
  UnknownOutcomeTasks: {
    title: 'Tasks with an unknown downstream outcome',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    producer: sampler(
      'the projector adds the change in UNKNOWN tasks of an order to a gauge item with the row write; signal-sampler emits it',
    ),
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Decide whether a downstream is degraded and hold re-sends',
    ownerTeam: 'integration-ops',
    statistic: 'Maximum',
    alarm: {
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      statistic: 'Minimum',
      periodSeconds: minutes(5),
      evaluationPeriods: 3,
      ordersAtRisk: true,
    },
    runbook:
      'Unknown outcomes for 15 min: check the downstream health; never re-send by hand, the workflow queries by correlation id.',
    seed: '000 §19.2 unknown outcome tasks; 003 §14.2 unknown outcome count',
  },
  UnknownOutcomeRecorded: {
    title: 'Unknown outcomes recorded',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['fulfillment-record'],
      how: 'fulfillment-record counts each recorded UNKNOWN outcome',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Early sign of a slow downstream (rate rises before the gauge)',
    ownerTeam: 'integration-ops',
    statistic: 'Sum',
    runbook: 'Compare with downstream latency; raise the in-flight window only with the downstream owner.',
    seed: '000 §19.2 unknown outcome tasks',
  },
  DownstreamRetry: {
    title: 'Downstream calls retried',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['fulfillment-dispatch'],
      how: 'fulfillment-dispatch counts each dispatch refused as unavailable',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Retry backlog: is a downstream refusing work',
    ownerTeam: 'integration-ops',
    statistic: 'Sum',
    runbook: 'Sustained retries: check the downstream status page; the retry budget ends in fallout.',
    seed: '003 §9.2 retry backlog',
  },
  ProjectionLag: {
    title: 'Projection lag (event → read model)',
    unit: 'Milliseconds',
    kind: 'distribution',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['projector'],
      how: 'the projector emits each record’s lag and stores the last batch’s p95 in a gauge item',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Whether the dashboards and views can be trusted right now',
    ownerTeam: 'oms-platform',
    statistic: 'p95',
    alarm: {
      comparison: 'GreaterThanThreshold',
      threshold: 30_000,
      statistic: 'p95',
      periodSeconds: minutes(5),
      evaluationPeriods: 2,
      ordersAtRisk: true,
    },
    runbook:
      'p95 lag over 30 s for 10 min: check projector errors and the stream iterator age; views stay readable but stale.',
    seed: '003 §10 freshness, §13 FalloutDashboardView p95 < 30 s',
  },
  ViewProjectionLag: {
    title: 'Projection lag per view (event → row)',
    unit: 'Milliseconds',
    kind: 'distribution',
    dimensions: [],
    breakdown: 'view',
    producer: {
      kind: 'emitted',
      functions: ['projector'],
      how: 'the projector emits each record’s lag once per view the record feeds (stream per view); each view’s alarm compares its p95 with the lag target its owner declared (view-catalog.ts)',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Which view is behind its owner’s freshness target, and whom to call',
    ownerTeam: 'oms-platform',
    statistic: 'p95',
    runbook:
      'A view over its lag target: check the projector’s errors and iterator age; the view answers with freshness, so readers see how stale it is.',
    seed: '003 §13 read model ownership (lag targets per view), §20',
  },
  SearchIndexLag: {
    title: 'Search index lag (event → search document)',
    unit: 'Milliseconds',
    kind: 'distribution',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['projector'],
      how: 'the projector emits the lag of each quote and order record it indexes into the search table',
    },
    dashboard: 'quote-operations',
    indicator: 'leading',
    decision: 'Whether search results can be trusted right now (exact ids fall back to the source)',
    ownerTeam: 'cpq-platform',
    statistic: 'p95',
    runbook:
      'Search lag over 60 s: check the projector; the scheduled reconciliation (search-vs-source) repairs documents left behind.',
    seed: '003 §13 QuoteSearchIndex p95 lag < 60 s, §20',
  },
  EventsPublishFailed: {
    title: 'Outbox events not delivered to the bus',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['outbox-publisher', 'outbox-redrive'],
      how: 'outbox-publisher (and outbox-redrive, for parked batches) count entries PutEvents did not accept after their retries',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Whether orders are waiting on event delivery',
    ownerTeam: 'oms-platform',
    statistic: 'Sum',
    runbook:
      'Events are retried from the stream; persistent failures end in the on-failure queue (DeadLetterDepth).',
    seed: '000 §19.1 broker lag',
  },
  DeadLetterDepth: {
    title: 'Messages in dead-letter queues',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'QueueName',
    producer: {
      kind: 'aws',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimension: 'QueueName',
      how: 'SQS publishes each dead-letter queue’s depth; the local stack samples its bus and stream dead letters',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Which integration lost work that must be redriven',
    ownerTeam: 'oms-platform',
    statistic: 'Maximum',
    alarm: {
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      statistic: 'Maximum',
      periodSeconds: minutes(5),
      evaluationPeriods: 1,
      ordersAtRisk: true,
    },
    runbook:
      'A dead-letter queue has messages: read them (event type in the body), fix the consumer, redrive.',
    seed: '000 §19.2 DLQ count by event type',
  },
  StreamIteratorAge: {
    title: 'Stream consumer iterator age',
    unit: 'Milliseconds',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'FunctionName',
    producer: {
      kind: 'aws',
      namespace: 'AWS/Lambda',
      metricName: 'IteratorAge',
      dimension: 'FunctionName',
      how: 'Lambda publishes the age of the last record each stream consumer read; the local stack samples its pollers',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Whether outbox events are being published and projected on time',
    ownerTeam: 'oms-platform',
    statistic: 'Maximum',
    alarm: {
      comparison: 'GreaterThanThreshold',
      threshold: 60_000,
      statistic: 'Maximum',
      periodSeconds: minutes(5),
      evaluationPeriods: 2,
      ordersAtRisk: true,
    },
    runbook:
      'Iterator age over 60 s: the consumer is failing or throttled; check its errors, then the on-failure queue.',
    seed: '000 §19.1 broker lag',
  },
  HubNotificationDelivered: {
    title: 'TMF hub notifications delivered',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['hub-dispatcher'],
      how: 'hub-dispatcher counts each notification a channel listener accepted',
    },
    dashboard: 'order-operations',
    indicator: 'lagging',
    decision: 'Denominator for notification delivery health',
    ownerTeam: 'channel-integration',
    statistic: 'Sum',
    runbook: 'Traffic signal.',
    seed: '000 §19.1 traffic',
  },
  HubNotificationDeadLettered: {
    title: 'TMF hub notifications given up on',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['hub-dispatcher'],
      how: 'hub-dispatcher counts each notification that exhausted its delivery attempts',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Which channel no longer hears about its orders',
    ownerTeam: 'channel-integration',
    statistic: 'Sum',
    alarm: {
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      statistic: 'Sum',
      periodSeconds: minutes(15),
      evaluationPeriods: 1,
    },
    runbook:
      'A channel listener refused notifications: see its delivery log, contact the channel; they can re-read orders by id.',
    seed: '000 §19.2 DLQ count by event type (hub notifications)',
  },
  OrdersByStateAge: {
    title: 'Open orders by state and age in state',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'stateAge',
    producer: sampler(
      'the projector adds each open order to a gauge item under its state and the hour it entered it; signal-sampler buckets the hours by age (under 2 h, 2–24 h, over 24 h) and emits one stream per state and bucket',
    ),
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Which orders are stuck, in which state, and how long: expedite the oldest bucket',
    ownerTeam: 'oms-ops',
    statistic: 'Maximum',
    runbook:
      'A state whose over-24h bucket grows: open /views/order-sla-risk; held orders name their fallout owner.',
    seed: '003 §9.2 orders stuck by state and age; §19 rule 2',
  },
  FalloutByDownstream: {
    title: 'Open fallout by downstream system',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'downstream',
    producer: sampler(
      'the projector adds each open fallout to a gauge item under the downstream of the failed task; signal-sampler emits it',
    ),
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Which downstream owner to call about the fallout queue',
    ownerTeam: 'integration-ops',
    statistic: 'Maximum',
    runbook: 'One downstream dominates: check its status and the fallout board filtered by reason.',
    seed: '003 §9.2 fallout by downstream system',
  },
  RetryBacklog: {
    title: 'Retry backlog: unfinished tasks already retried or failed once',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'downstream',
    producer: sampler(
      'the projector adds each unfinished task with more than one attempt or an error to a gauge item under its downstream; signal-sampler emits it',
    ),
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Whether a downstream is refusing work before the retry budget ends in fallout',
    ownerTeam: 'integration-ops',
    statistic: 'Maximum',
    alarm: {
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 20,
      statistic: 'Minimum',
      periodSeconds: minutes(5),
      evaluationPeriods: 3,
    },
    runbook:
      'Twenty or more retried tasks for 15 min: check the named downstream; do not re-send by hand, the workflow retries within its budget.',
    seed: '003 §9.2 retry backlog',
  },
  SlaBreachForecast: {
    title: 'SLA breach forecast: open orders at high or medium risk',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'risk',
    producer: sampler(
      'the projector adds each open order to a gauge item under its SLA risk level and jeopardy type; signal-sampler emits high + medium, split by level and jeopardy',
    ),
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Which customers to warn and which orders to expedite before the promised completion',
    ownerTeam: 'oms-ops',
    statistic: 'Maximum',
    runbook:
      'Open /views/order-sla-risk (highest risk first): each row names its reason; breached jeopardy needs a customer call.',
    seed: '003 §9.2 SLA breach forecast',
  },
  OrderChangeConflicts: {
    title: 'Cancellations and changes refused: the order had moved on',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'code',
    producer: {
      kind: 'emitted',
      functions: ['order-cancel', 'order-patch'],
      how: 'the metrics module counts order-cancel and order-patch refusals for a point of no return, a change in flight or a state that no longer allows it',
      refusals: {
        codes: ['POINT_OF_NO_RETURN', 'PRODUCT_CHANGE_IN_FLIGHT', 'INVALID_STATE_TRANSITION'],
        operations: ['order-cancel', 'order-patch'],
      },
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision:
      'Whether channels send cancellations and changes too late (customer communication, cut-off times)',
    ownerTeam: 'oms-ops',
    statistic: 'Sum',
    runbook:
      'Split by code: POINT_OF_NO_RETURN means billing or activation started (offer a disconnect order instead); pendingCancellation orders appear in OrdersByStateAge.',
    seed: '003 §9.2 cancellation/change-order conflict queue; §14.2 cancellation conflict rate',
  },
  ViewProjections: {
    title: 'Rows projected per view',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'view',
    producer: {
      kind: 'emitted',
      functions: ['projector'],
      how: 'the projector counts each record it projected into a view, per view',
    },
    dashboard: 'order-operations',
    indicator: 'lagging',
    decision: 'Denominator of the projection freshness SLO',
    ownerTeam: 'oms-platform',
    statistic: 'Sum',
    runbook: 'Traffic signal.',
    seed: '003 §10 freshness, §20',
  },
  ViewProjectionsLate: {
    title: 'Rows projected later than their view’s lag target',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'view',
    producer: {
      kind: 'emitted',
      functions: ['projector'],
      how: 'the projector counts each record projected into a view later than the lag target its owner declared (view-catalog.ts)',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Whether the views can be trusted: the freshness SLO burns before the p95 alarm',
    ownerTeam: 'oms-platform',
    statistic: 'Sum',
    runbook:
      'Split by view; check the projector’s errors and iterator age. Views answer with their freshness meanwhile.',
    seed: '003 §10 freshness, §13 lag targets, §20',
  },
  RefusedDownstreamNotices: {
    title: 'Downstream notices refused: unknown task, task finished or never sent',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'downstream',
    producer: {
      kind: 'emitted',
      functions: ['downstream-notice'],
      how: 'downstream-notice counts each refused notice once per notice id, per downstream (the record: GET /ops/refused-notices)',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Whether a downstream is out of step with our orders (stale retries, wrong ids)',
    ownerTeam: 'integration-ops',
    statistic: 'Sum',
    runbook:
      'Read GET /ops/refused-notices?downstream= for the codes and tasks; a run of TASK_FINISHED is a downstream retrying after our answer, UNKNOWN_TASK a wrong id or correlation id.',
    seed: '003 §9.2 fallout by downstream system',
  },
  DispatchAttempts: {
    title: 'Fulfillment tasks sent to a downstream',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'downstream',
    producer: {
      kind: 'emitted',
      functions: ['fulfillment-dispatch'],
      how: 'fulfillment-dispatch counts each call to a downstream, per downstream',
    },
    dashboard: 'order-operations',
    indicator: 'lagging',
    decision: 'Denominator of the dispatch SLOs',
    ownerTeam: 'integration-ops',
    statistic: 'Sum',
    runbook: 'Traffic signal.',
    seed: '000 §20 dispatching tasks',
  },
  DispatchFailed: {
    title: 'Dispatches that failed (refused, rejected or timed out)',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'downstream',
    producer: {
      kind: 'emitted',
      functions: ['fulfillment-dispatch'],
      how: 'fulfillment-dispatch counts each call that did not end in an acknowledgement, per downstream',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Which downstream makes dispatch unreliable (the dispatch success SLO)',
    ownerTeam: 'integration-ops',
    statistic: 'Sum',
    runbook: 'Split by downstream; the workflow retries, queries or raises fallout on its own.',
    seed: '000 §20 dispatching tasks',
  },
  DispatchLatency: {
    title: 'Dispatch latency (call to a downstream)',
    unit: 'Milliseconds',
    kind: 'distribution',
    dimensions: [],
    breakdown: 'downstream',
    producer: {
      kind: 'emitted',
      functions: ['fulfillment-dispatch'],
      how: 'fulfillment-dispatch emits how long each downstream call took, per downstream',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Whether a downstream is slowing (leading: before timeouts become unknown outcomes)',
    ownerTeam: 'integration-ops',
    statistic: 'p95',
    runbook: 'p95 rising for one downstream: tell its owner before the in-flight window is reached.',
    seed: '000 §20 dispatching tasks; 003 §19 rule 6',
  },
  DispatchSlow: {
    title: 'Dispatches slower than the latency target',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    breakdown: 'downstream',
    producer: {
      kind: 'emitted',
      functions: ['fulfillment-dispatch'],
      how: 'fulfillment-dispatch counts each call slower than serviceTargets.dispatchLatencyMs, per downstream',
    },
    dashboard: 'order-operations',
    indicator: 'leading',
    decision: 'Bad events of the dispatch latency SLO',
    ownerTeam: 'integration-ops',
    statistic: 'Sum',
    runbook: 'Split by downstream; compare with DispatchLatency p95.',
    seed: '000 §20 dispatching tasks',
  },
  BillingAcknowledged: {
    title: 'Billing handoffs acknowledged',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['fulfillment-record', 'downstream-notice'],
      how: 'the order records the billing handoff task DONE (a synchronous answer or billing’s completion notice)',
    },
    dashboard: 'finance-reconciliation',
    indicator: 'lagging',
    decision: 'Denominator of the billing acknowledgement SLO',
    ownerTeam: 'billing-ops',
    statistic: 'Sum',
    runbook: 'Traffic signal.',
    seed: '000 §20 billing acknowledgement',
  },
  BillingAckLate: {
    title: 'Billing handoffs acknowledged later than the target',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['fulfillment-record', 'downstream-notice'],
      how: 'counted when the billing handoff is acknowledged more than serviceTargets.billingAckMs after it was sent',
    },
    dashboard: 'finance-reconciliation',
    indicator: 'leading',
    decision: 'Whether billing is slow to take activated services (revenue starts late)',
    ownerTeam: 'billing-ops',
    statistic: 'Sum',
    runbook:
      'Late acknowledgements: check the billing system’s queue; unacknowledged handoffs show as FULFILLED_WITHOUT_BILLING findings.',
    seed: '000 §20 billing acknowledgement; §19.2 active asset without billing',
  },
  // ── deal desk ─────────────────────────────────────────────────────────────────────────────
  PendingApprovalsOverSla: {
    title: 'Approvals pending past their due time',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    producer: sampler(
      'signal-sampler counts approval-inbox rows whose dueAt has passed (key range of the sparse index)',
    ),
    dashboard: 'deal-desk',
    indicator: 'leading',
    decision: 'Re-route or delegate approvals before deals stall',
    ownerTeam: 'deal-desk',
    statistic: 'Maximum',
    alarm: {
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 10,
      statistic: 'Minimum',
      periodSeconds: minutes(15),
      evaluationPeriods: 2,
    },
    runbook:
      'Ten or more approvals past due for 30 min: open the approval inbox, delegate to another approver group.',
    seed: '003 §9 pending approval > SLA, §15 approval SLA breach',
  },
  ApprovalsGranted: {
    title: 'Approvals granted',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['quote-approval'],
      how: 'quote-approval counts each APPROVE decision recorded',
    },
    dashboard: 'deal-desk',
    indicator: 'lagging',
    decision: 'Denominator of the stale approval rate',
    ownerTeam: 'deal-desk',
    statistic: 'Sum',
    runbook: 'Traffic signal.',
    seed: '003 §14.1 approval rate',
  },
  ApprovalInvalidated: {
    title: 'Approvals invalidated by a change',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['quote-patch', 'quote-price', 'quote-accept'],
      how: 'quote commands count an approval their change invalidated, and APPROVAL_STALE refusals',
      refusals: { codes: ['APPROVAL_STALE'] },
    },
    dashboard: 'deal-desk',
    indicator: 'leading',
    decision: 'Whether sellers change deals after approval (governance pressure)',
    ownerTeam: 'deal-desk',
    statistic: 'Sum',
    runbook:
      'Rising invalidations: check which quotes change after approval; coach or tighten the change policy.',
    seed: '000 §19.2 approval invalidation rate',
  },
  StaleApprovalRate: {
    title: 'Stale approval rate',
    unit: 'Percent',
    kind: 'kpi',
    dimensions: [],
    producer: {
      kind: 'ratio',
      numerator: 'ApprovalInvalidated',
      denominator: 'ApprovalsGranted',
      how: 'ApprovalInvalidated / ApprovalsGranted',
    },
    dashboard: 'deal-desk',
    indicator: 'lagging',
    decision: 'Policy drift: whether approvals are given too early',
    ownerTeam: 'deal-desk',
    statistic: 'Sum',
    runbook: 'Trend; compare by policy version.',
    seed: '003 §14.1 stale approval rate; 000 §19.2 approval invalidation rate',
  },
  PolicyViolation: {
    title: 'Quotes refused by deal policy',
    unit: 'Count',
    kind: 'counter',
    dimensions: [],
    producer: {
      kind: 'emitted',
      functions: ['quote-submit'],
      how: 'the metrics module counts POLICY_VIOLATION refusals',
      refusals: { codes: ['POLICY_VIOLATION'] },
    },
    dashboard: 'deal-desk',
    indicator: 'leading',
    decision: 'Whether the discount guardrails are blocking legitimate deals',
    ownerTeam: 'deal-desk',
    statistic: 'Sum',
    runbook: 'Look at the violated rule in the refusal details; adjust policy with the commercial owner.',
    seed: '003 §14.3 policy override count, §9.3 discount exceptions',
  },
  ApprovalQueueByReason: {
    title: 'Pending approvals by policy reason',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'reasonCode',
    producer: sampler(
      'the projector adds each pending approval request to a gauge item under each of its reason codes; signal-sampler emits it',
    ),
    dashboard: 'deal-desk',
    indicator: 'leading',
    decision: 'Which approver group to staff: the queue by the policy reason that routed it',
    ownerTeam: 'deal-desk',
    statistic: 'Maximum',
    runbook:
      'Open /views/approval-inbox (due first); a reason dominating after a policy change needs routing review.',
    seed: '003 §9.3 approval queue by approver group (by reason code: the data holds no group)',
  },
  StaleApprovalsOpen: {
    title: 'Open quotes whose approval was invalidated',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    producer: sampler(
      'the projector adds each open quote with an invalidated approval to a gauge item; signal-sampler emits it',
    ),
    dashboard: 'deal-desk',
    indicator: 'leading',
    decision: 'Which sellers must re-price and resubmit before the customer accepts',
    ownerTeam: 'deal-desk',
    statistic: 'Maximum',
    runbook: 'Open /views/stale-approvals (newest first): each row names what invalidated the approval.',
    seed: '003 §9.3 stale approval invalidation rate; §13 StaleApprovalView',
  },
  // ── finance / reconciliation ──────────────────────────────────────────────────────────────
  ReconciliationDrift: {
    title: 'Findings of the latest reconciliation run',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    breakdown: 'classification',
    producer: sampler(
      'each reconciliation run writes its findings by classification to a gauge item; signal-sampler emits it',
    ),
    dashboard: 'finance-reconciliation',
    indicator: 'lagging',
    decision: 'Which drift to repair before billing and month-end',
    ownerTeam: 'finance-ops',
    statistic: 'Maximum',
    alarm: {
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      statistic: 'Maximum',
      periodSeconds: minutes(15),
      evaluationPeriods: 1,
    },
    runbook:
      'Open the latest run (GET /ops/reconciliation-runs/{id}); MANUAL findings name the command to run.',
    seed: '000 §19.2 reconciliation drift count; 003 §9.4',
  },
  ActiveAssetWithoutBilling: {
    title: 'Fulfilled items without billing',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    producer: sampler(
      'FULFILLED_WITHOUT_BILLING and ACTIVE_PRODUCT_NOT_BILLED findings of the latest run (fulfilled-item-billed and product-billed checks); signal-sampler emits it',
    ),
    dashboard: 'finance-reconciliation',
    // Leading for finance: found before the invoice run, it predicts next month's leakage.
    indicator: 'leading',
    decision: 'Stop revenue leakage: bill what was activated',
    ownerTeam: 'billing-ops',
    statistic: 'Maximum',
    alarm: {
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      statistic: 'Maximum',
      periodSeconds: minutes(15),
      evaluationPeriods: 1,
    },
    runbook:
      'Each finding names the order item or the product; billing ops start the billing handoff for the item, or open the subscription in billing with evidence for the product.',
    seed: '000 §19.2 active asset without billing; 003 §9.4 order vs billing mismatch',
  },
  DownstreamAheadOfOms: {
    title: 'Downstream did work OMS does not know of',
    unit: 'Count',
    kind: 'gauge',
    dimensions: [],
    producer: sampler(
      'OMS_BEHIND_DOWNSTREAM findings of the latest run (task-vs-downstream check, e.g. a billed subscription whose task OMS still shows unfinished); signal-sampler emits it',
    ),
    dashboard: 'finance-reconciliation',
    indicator: 'lagging',
    decision: 'Prevent billing disputes: confirm or reverse the downstream side effect',
    ownerTeam: 'billing-ops',
    statistic: 'Maximum',
    runbook:
      'Each finding names the task and the downstream record; confirm it and mark the task complete with that evidence.',
    seed: '000 §19.2 billed subscription without fulfilled asset; 003 §9.4 asset vs billing mismatch',
  },
} as const satisfies Record<string, SignalSpec>;

export type SignalName = keyof typeof catalog;
export const signals: Record<SignalName, SignalSpec> = catalog;
export const signalNames = Object.keys(signals) as SignalName[];
