/**
 * A reconciliation finding: evidence of a drift between an intended source and its actual
 * counterpart (requirements 000 §16.2). Nothing is patched silently: a finding either records the
 * automatic repair that was declared safe, or says what a human should do.
 */
export type CheckName =
  | 'accepted-quote-converted'
  | 'order-execution-started'
  | 'task-vs-downstream'
  | 'fulfilled-item-billed'
  | 'projection-vs-source'
  | 'search-vs-source'
  | 'fulfilled-item-in-inventory'
  | 'product-billed'
  | 'billed-subscription-has-product';

export const checkNames: readonly CheckName[] = [
  'accepted-quote-converted',
  'order-execution-started',
  'task-vs-downstream',
  'fulfilled-item-billed',
  'projection-vs-source',
  'search-vs-source',
  'fulfilled-item-in-inventory',
  'product-billed',
  'billed-subscription-has-product',
];

export type Classification =
  | 'ACCEPTED_QUOTE_NOT_CONVERTED'
  | 'ORDER_EXECUTION_NOT_STARTED'
  | 'ORDER_EXECUTION_STRANDED'
  | 'OMS_BEHIND_DOWNSTREAM'
  | 'DOWNSTREAM_MISSING_SIDE_EFFECT'
  | 'FULFILLED_WITHOUT_BILLING'
  | 'PROJECTION_DRIFT'
  | 'SEARCH_INDEX_DRIFT'
  | 'FULFILLED_ITEM_NOT_IN_INVENTORY'
  | 'INVENTORY_STATE_MISMATCH'
  | 'ACTIVE_PRODUCT_NOT_BILLED'
  | 'BILLING_PRICE_MISMATCH'
  | 'BILLED_WITHOUT_ACTIVE_PRODUCT';

export type RecordRef = {
  system: string;
  type: string;
  id: string;
  version?: number;
  state?: string;
  [key: string]: unknown;
};

export type RepairDecision = {
  /** AUTO: declared safe and performed by the run; MANUAL: a human acts through a domain command. */
  mode: 'AUTO' | 'MANUAL';
  action: string;
  reason: string;
};

export type FindingDraft = {
  check: CheckName;
  classification: Classification;
  severity: 'HIGH' | 'MEDIUM' | 'LOW';
  sourceRecord: RecordRef;
  counterpartRecord: RecordRef | null;
  difference: string;
  repairDecision: RepairDecision;
};

export type Finding = FindingDraft & {
  id: string;
  runId: string;
  scope: string;
  actor: string;
  detectedAt: string;
  resultingState: 'OPEN' | 'REPAIRED' | 'REPAIR_FAILED';
  repairedAt?: string;
  repairError?: string;
};

/** Same drift, same key: lets a reader follow one drift across runs. */
export const findingKey = (d: FindingDraft): string =>
  `${d.classification}:${d.sourceRecord.type}:${d.sourceRecord.id}${d.counterpartRecord ? `:${d.counterpartRecord.id}` : ''}`;

/** Findings per classification (the drift breakdown of the finance dashboard). */
export const countByClassification = (findings: { classification: Classification }[]) => {
  const counts: Partial<Record<Classification, number>> = {};
  for (const f of findings) counts[f.classification] = (counts[f.classification] ?? 0) + 1;
  return counts as Record<string, number>;
};
