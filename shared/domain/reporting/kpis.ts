/**
 * The KPIs of requirements 003 §14 (and the §7 examples) that the reporting facts support. Each has a
 * SQL file in `kpis/` (plain ANSI subset, run as is by Athena and by DuckDB) with two
 * parameters: from date and to date. `value` is the headline column; `rows` KPIs are tables.
 */
export type KpiSpec = {
  name: string;
  title: string;
  definition: string;
  /** The requirement it answers, a key of docs/requirements.md (`003 §14.2`). */
  seedRef: string;
  unit: 'ratio' | 'count' | 'seconds' | 'amount' | 'table';
  shape: 'value' | 'rows';
};

export const kpis: KpiSpec[] = [
  {
    name: 'pricing_recalculation_rate',
    title: 'Pricing recalculation rate',
    definition: 'Pricings (distinct quote revisions priced) per quote priced in the period',
    seedRef: '003 §14.1',
    unit: 'ratio',
    shape: 'value',
  },
  {
    name: 'approval_rate',
    title: 'Approval rate',
    definition: 'Accepted quotes whose approval needed an approver decision / quotes accepted in the period',
    seedRef: '003 §14.1',
    unit: 'ratio',
    shape: 'value',
  },
  {
    name: 'discount_leakage',
    title: 'Discount leakage',
    definition:
      'Recurring discount on accepted lines above the 10 % auto-approval floor without an approver decision (should be 0)',
    seedRef: '003 §14.3',
    unit: 'amount',
    shape: 'value',
  },
  {
    name: 'discount_by_region_family',
    title: 'Average discount by region and product family',
    definition:
      'Accepted lines: mean and list-weighted line discretionary discount per region and product family',
    seedRef: '003 §7',
    unit: 'table',
    shape: 'rows',
  },
  {
    name: 'fallout_rate',
    title: 'Fallout rate',
    definition: 'Orders with a failed fulfillment task / orders with any task outcome in the period',
    seedRef: '003 §14.2',
    unit: 'ratio',
    shape: 'value',
  },
  {
    name: 'fallout_by_downstream',
    title: 'Fallout rate by downstream system',
    definition:
      'Failed task outcomes / task outcomes per downstream system, with mean task duration and retries',
    seedRef: '003 §7',
    unit: 'table',
    shape: 'rows',
  },
  {
    name: 'unknown_outcome_count',
    title: 'Unknown outcome count',
    definition: 'Tasks whose downstream result was uncertain before they reached an outcome in the period',
    seedRef: '003 §14.2',
    unit: 'count',
    shape: 'value',
  },
  {
    name: 'fulfillment_lead_time',
    title: 'Fulfillment lead time',
    definition:
      'Mean seconds from the first task dispatched to the billing handoff done, per fulfilled order',
    seedRef: '003 §14.2',
    unit: 'seconds',
    shape: 'value',
  },
];

/** Requirements 003 §14 KPIs the facts cannot answer yet, and why (reported, never guessed). */
export const unsupportedKpis = [
  { title: 'Margin exception rate', reason: 'cost and margin never leave the quote aggregate in events' },
  {
    title: 'Quote cycle time, approval cycle time',
    reason: 'no fact records submission or decision times yet',
  },
  { title: 'Mean time to repair', reason: 'fallout resolution is not a fact yet' },
  {
    title: 'Contract-billing mismatch',
    reason: 'billing acknowledgements are not facts yet (see GET /audit/orders)',
  },
];

export const kpiNames = kpis.map((k) => k.name);
