import type { FactTableName } from './fact-tables.ts';

/**
 * The KPIs of requirements 003 §14 (and two §7 examples) over the reporting facts. Each has a SQL
 * file in `kpis/<name>.sql` (plain ANSI subset, run as is by Athena and by DuckDB) with two
 * parameters: from date and to date (inclusive, UTC days). `value` is the headline column; `rows`
 * KPIs are tables. `semanticVersion` changes whenever the meaning changes (003 §22): a dashboard
 * built on version 1 of a KPI knows when it reads something else.
 */
export type KpiSpec = {
  name: string;
  title: string;
  definition: string;
  /** How the value is computed from the facts, in words a reader of the SQL recognises. */
  formula: string;
  /** The requirement it answers, a key of docs/requirements.md (`003 §14.2`). */
  seedRef: string;
  unit: 'ratio' | 'count' | 'seconds' | 'amount' | 'table';
  shape: 'value' | 'rows';
  semanticVersion: number;
  facts: FactTableName[];
};

const quoteLines = 'fact_quote_line_price';
const quoteLife = 'fact_quote_lifecycle';
const orderLife = 'fact_order_lifecycle';
const tasks = 'fact_order_fulfillment_task';
const refusals = 'fact_command_refusal';

export const kpis: KpiSpec[] = [
  // ---- 14.1 quote KPIs
  {
    name: 'quote_cycle_time',
    title: 'Quote cycle time',
    definition: 'Created → accepted, rejected, cancelled or expired, over quotes that ended in the period',
    formula: 'mean(end time − created time); expired = validity ended in the period with no other end',
    seedRef: '003 §14.1',
    unit: 'seconds',
    shape: 'value',
    semanticVersion: 1,
    facts: [quoteLines, quoteLife],
  },
  {
    name: 'configuration_error_rate',
    title: 'Configuration error rate',
    definition: 'Invalid configurations / attempted configurations',
    formula:
      'INVALID_CONFIGURATION refusals of quote create/patch ÷ (those + quotes created + line replacements)',
    seedRef: '003 §14.1',
    unit: 'ratio',
    shape: 'value',
    semanticVersion: 1,
    facts: [quoteLife, refusals],
  },
  {
    name: 'pricing_recalculation_rate',
    title: 'Pricing recalculation rate',
    definition: 'Pricings (distinct quote revisions priced) per quote priced in the period',
    formula: 'count(distinct quote, revision PRICED) ÷ count(distinct quote PRICED)',
    seedRef: '003 §14.1',
    unit: 'ratio',
    shape: 'value',
    semanticVersion: 1,
    facts: [quoteLines],
  },
  {
    name: 'approval_rate',
    title: 'Approval rate',
    definition: 'Quotes requiring approval / submitted quotes',
    formula: 'distinct quotes with an approval request ÷ distinct quotes submitted, both in the period',
    seedRef: '003 §14.1',
    unit: 'ratio',
    shape: 'value',
    // Version 1 divided by accepted quotes; §14 divides by submitted ones.
    semanticVersion: 2,
    facts: [quoteLife],
  },
  {
    name: 'approval_cycle_time',
    title: 'Approval cycle time',
    definition: 'Submitted for approval → approved/denied, over decisions made in the period',
    formula: 'mean(decision time − request time) per approval request decided',
    seedRef: '003 §14.1',
    unit: 'seconds',
    shape: 'value',
    semanticVersion: 1,
    facts: [quoteLife],
  },
  {
    name: 'stale_approval_rate',
    title: 'Stale approval rate',
    definition: 'Invalidated approvals / approved quotes',
    formula:
      'approval invalidations (per quote version) ÷ distinct quotes approved (decision APPROVE or auto-approved submission)',
    seedRef: '003 §14.1',
    unit: 'ratio',
    shape: 'value',
    semanticVersion: 1,
    facts: [quoteLife],
  },
  {
    name: 'quote_conversion_rate',
    title: 'Quote conversion rate',
    definition: 'Accepted quotes converted to orders',
    formula: 'quotes accepted in the period with an order created from them ÷ quotes accepted in the period',
    seedRef: '003 §14.1',
    unit: 'ratio',
    shape: 'value',
    semanticVersion: 1,
    facts: [quoteLines, orderLife],
  },
  {
    name: 'quote_to_order_failure_rate',
    title: 'Quote-to-order failure rate',
    definition: 'Failed conversions / attempted conversions',
    formula:
      'order-create refusals (QUOTE_NOT_ACCEPTED, QUOTE_EXPIRED, QUOTE_ALREADY_CONVERTED, ORDER_QUOTE_MISMATCH, CATALOG_INCOMPATIBLE) ÷ (those + orders created)',
    seedRef: '003 §14.1',
    unit: 'ratio',
    shape: 'value',
    semanticVersion: 1,
    facts: [orderLife, refusals],
  },
  // ---- 14.2 order KPIs
  {
    name: 'order_submit_success_rate',
    title: 'Order submit success rate',
    definition: 'Accepted submissions / attempts',
    formula: 'orders created ÷ (orders created + order submissions refused with any domain code)',
    seedRef: '003 §14.2',
    unit: 'ratio',
    shape: 'value',
    semanticVersion: 1,
    facts: [orderLife, refusals],
  },
  {
    name: 'feasibility_pass_rate',
    title: 'Feasibility pass rate',
    definition: 'Feasible order items / checked order items',
    formula:
      'items of orders created in the period that decomposed into a plan ÷ items of those orders whose decomposition ran',
    seedRef: '003 §14.2',
    unit: 'ratio',
    shape: 'value',
    semanticVersion: 1,
    facts: [orderLife],
  },
  {
    name: 'decomposition_failure_rate',
    title: 'Decomposition failure rate',
    definition: 'Failed decomposition / submitted orders',
    formula:
      'orders created in the period with a DECOMPOSITION_FAILED fallout ÷ orders created in the period',
    seedRef: '003 §14.2',
    unit: 'ratio',
    shape: 'value',
    semanticVersion: 1,
    facts: [orderLife],
  },
  {
    name: 'fallout_rate',
    title: 'Fallout rate',
    definition: 'Orders in fallout / submitted orders',
    formula:
      'orders created in the period that were held or had a failed task ÷ orders created in the period',
    seedRef: '003 §14.2',
    unit: 'ratio',
    shape: 'value',
    // Version 1 divided by orders with a task outcome in the period.
    semanticVersion: 2,
    facts: [orderLife, tasks],
  },
  {
    name: 'mean_time_to_repair',
    title: 'Mean time to repair',
    definition: 'Fallout detected → recovered, over recoveries in the period',
    formula: 'mean(time the order left held − time it entered held, the latest before)',
    seedRef: '003 §14.2',
    unit: 'seconds',
    shape: 'value',
    semanticVersion: 1,
    facts: [orderLife],
  },
  {
    name: 'unknown_outcome_count',
    title: 'Unknown outcome count',
    definition: 'Tasks whose downstream result was uncertain before they reached an outcome in the period',
    formula: 'count(distinct order, task with an unknown outcome)',
    seedRef: '003 §14.2',
    unit: 'count',
    shape: 'value',
    semanticVersion: 1,
    facts: [tasks],
  },
  {
    name: 'cancellation_conflict_rate',
    title: 'Cancellation conflict rate',
    definition: 'Failed cancellation due to in-flight dependency',
    formula: 'cancellations refused POINT_OF_NO_RETURN ÷ (those + cancellations accepted)',
    seedRef: '003 §14.2',
    unit: 'ratio',
    shape: 'value',
    semanticVersion: 1,
    facts: [orderLife, refusals],
  },
  {
    name: 'fulfillment_lead_time',
    title: 'Fulfillment lead time',
    definition: 'Submitted → fulfilled, over orders completed in the period',
    formula: 'mean(order completed time − order date)',
    seedRef: '003 §14.2',
    unit: 'seconds',
    shape: 'value',
    // Version 1 measured from the first task dispatched to the billing handoff.
    semanticVersion: 2,
    facts: [orderLife],
  },
  // ---- 14.3 commercial control KPIs
  {
    name: 'discount_leakage',
    title: 'Discount leakage',
    definition: 'Discount below allowed threshold without valid approval (should be 0)',
    formula:
      'sum of recurring discount on accepted lines above the 10 % auto-approval floor without an approver decision',
    seedRef: '003 §14.3',
    unit: 'amount',
    shape: 'value',
    semanticVersion: 1,
    facts: [quoteLines],
  },
  {
    name: 'margin_exception_rate',
    title: 'Margin exception rate',
    definition: 'Deals below margin guardrail / total deals',
    formula: 'accepted quotes whose recurring margin < 30 % of net recurring ÷ accepted quotes with a margin',
    seedRef: '003 §14.3',
    unit: 'ratio',
    shape: 'value',
    semanticVersion: 1,
    facts: [quoteLines],
  },
  {
    name: 'policy_override_count',
    title: 'Policy override count',
    definition: 'Manual overrides by policy type',
    formula:
      'approver APPROVE decisions by the request reason codes (DEAL_POLICY:…) and operator repairs by action (FULFILLMENT_REPAIR:…)',
    seedRef: '003 §14.3',
    unit: 'table',
    shape: 'rows',
    semanticVersion: 1,
    facts: [quoteLife, orderLife],
  },
  {
    name: 'contract_billing_mismatch',
    title: 'Contract-billing mismatch',
    definition: 'Billing terms mismatch accepted quote/contract',
    formula:
      'billing handoffs done whose billed items or package hash differ from the order (the accepted quote), count',
    seedRef: '003 §14.3',
    unit: 'count',
    shape: 'value',
    semanticVersion: 1,
    facts: [tasks],
  },
  {
    name: 'price_replay_mismatch',
    title: 'Price replay mismatch',
    definition: 'Current replay result differs from captured result (should be 0)',
    formula: 'pricing input hashes priced more than once whose line net prices differ',
    seedRef: '003 §14.3',
    unit: 'count',
    shape: 'value',
    semanticVersion: 1,
    facts: [quoteLines],
  },
  // ---- §7 examples
  {
    name: 'discount_by_region_family',
    title: 'Average discount by region and product family',
    definition:
      'Accepted lines: mean and list-weighted line discretionary discount per region and product family',
    formula: 'per region × family: avg(discount %), 100 × sum(discount) ÷ sum(list)',
    seedRef: '003 §7',
    unit: 'table',
    shape: 'rows',
    semanticVersion: 1,
    facts: [quoteLines],
  },
  {
    name: 'fallout_by_downstream',
    title: 'Fallout rate by downstream system',
    definition:
      'Failed task outcomes / task outcomes per downstream system, with mean task duration and retries',
    formula: 'per downstream: count(FAILED) ÷ count(outcomes)',
    seedRef: '003 §7',
    unit: 'table',
    shape: 'rows',
    semanticVersion: 1,
    facts: [tasks],
  },
];

export const kpiNames = kpis.map((k) => k.name);
