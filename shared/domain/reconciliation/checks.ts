import type { Downstream } from '#domain/order/fulfillment-task';
import type { OrderItemAction } from '#domain/order/product-order';
import type { FindingDraft } from './findings.ts';

/** The facts the checks need, read from the aggregates (the source of truth). */
export type QuoteFacts = {
  id: string;
  version: number;
  state: string;
  channelId: string;
  acceptedAt?: string;
  /** Last change of the aggregate. */
  updatedAt?: string;
};

export type TaskFacts = {
  id: string;
  orderItemId: string;
  type: string;
  action: string;
  downstream: Downstream;
  correlationId: string;
  state: string;
  attempts: number;
  completedAt?: string;
};

/** One item of an order: the product it installs or changes, and its accepted recurring price. */
export type OrderItemFacts = {
  id: string;
  action: OrderItemAction;
  productId: string;
  /** Minor units, the item's line total. */
  netRecurring: number;
};

export type OrderFacts = {
  id: string;
  version: number;
  state: string;
  quoteId: string;
  channelId: string;
  orderDate: string;
  /** Last change of the aggregate. */
  updatedAt?: string;
  correlationId?: string;
  planned: boolean;
  tasks: TaskFacts[];
  items?: OrderItemFacts[];
};

export type DownstreamAnswer =
  | { status: 'DONE'; downstreamRef: string }
  | { status: 'PENDING'; downstreamRef: string }
  | { status: 'NOT_FOUND' }
  | { status: 'UNAVAILABLE'; error: string };

const age = (now: string, since: string | undefined) =>
  since ? Date.parse(now) - Date.parse(since) : Number.NaN;

/** Accepted quote → product order: accepted longer than the threshold and no order for it. */
export const acceptedQuotesNotConverted = (
  quotes: QuoteFacts[],
  convertedQuoteIds: ReadonlySet<string>,
  now: string,
  thresholdMs: number,
): FindingDraft[] =>
  quotes
    .filter(
      (q) => q.state === 'accepted' && !convertedQuoteIds.has(q.id) && age(now, q.acceptedAt) > thresholdMs,
    )
    .map((q) => ({
      check: 'accepted-quote-converted',
      classification: 'ACCEPTED_QUOTE_NOT_CONVERTED',
      severity: 'HIGH',
      sourceRecord: {
        system: 'cpq',
        type: 'Quote',
        id: q.id,
        version: q.version,
        state: q.state,
        acceptedAt: q.acceptedAt,
      },
      counterpartRecord: null,
      difference: `quote accepted at ${q.acceptedAt} has no product order after ${Math.round(thresholdMs / 60_000)} min`,
      repairDecision: {
        mode: 'MANUAL',
        action: 'Contact the channel to submit the order (POST /productOrder) or cancel the quote',
        reason: 'Creating an order needs the customer billing account and channel intent',
      },
    }));

const open = new Set(['PENDING', 'IN_PROGRESS', 'UNKNOWN', 'FAILED']);

/** Orchestration task → downstream system, by the task's correlation id. */
export const taskAgainstDownstream = (
  order: OrderFacts,
  task: TaskFacts,
  answer: DownstreamAnswer,
): FindingDraft | undefined => {
  const source = {
    system: 'oms',
    type: 'FulfillmentTask',
    id: task.id,
    orderId: order.id,
    version: order.version,
    state: task.state,
    correlationId: task.correlationId,
  };
  if (answer.status === 'DONE' && open.has(task.state)) {
    return {
      check: 'task-vs-downstream',
      classification: 'OMS_BEHIND_DOWNSTREAM',
      severity: task.state === 'UNKNOWN' ? 'MEDIUM' : 'HIGH',
      sourceRecord: source,
      counterpartRecord: {
        system: task.downstream,
        type: 'DownstreamRequest',
        id: answer.downstreamRef,
        state: 'COMPLETED',
      },
      difference: `OMS says ${task.state}, ${task.downstream} completed the request`,
      repairDecision: {
        mode: 'MANUAL',
        action: `Repair the task with MARK_COMPLETE and evidence downstreamRef=${answer.downstreamRef}`,
        reason: 'Completing a task moves the order on (billing, completion): a domain command with evidence',
      },
    };
  }
  if (answer.status === 'NOT_FOUND' && task.state === 'DONE') {
    return {
      check: 'task-vs-downstream',
      classification: 'DOWNSTREAM_MISSING_SIDE_EFFECT',
      severity: 'HIGH',
      sourceRecord: source,
      counterpartRecord: {
        system: task.downstream,
        type: 'DownstreamRequest',
        id: task.correlationId,
        state: 'NOT_FOUND',
      },
      difference: `OMS says DONE, ${task.downstream} has no record of correlation id ${task.correlationId}`,
      repairDecision: {
        mode: 'MANUAL',
        action: `Investigate with ${task.downstream}; if nothing was done, open fallout and re-dispatch through repair`,
        reason: 'Re-sending a side effect without proof it is missing could duplicate it',
      },
    };
  }
  return undefined;
};

/** Fulfilled order item → billing subscription. */
export const fulfilledWithoutBilling = (
  order: OrderFacts,
  now: string,
  thresholdMs: number,
): FindingDraft[] => {
  // A handoff in parts is acknowledged when every part is; the first part not yet is the counterpart.
  const parts = order.tasks.filter((t) => t.type === 'BILLING_HANDOFF' && t.action !== 'delete');
  if (parts.length > 0 && parts.every((t) => t.state === 'DONE')) return [];
  const billing = parts.find((t) => t.state !== 'DONE');
  if (['cancelled', 'pendingCancellation', 'rejected'].includes(order.state)) return [];
  const items = new Map<string, TaskFacts[]>();
  for (const t of order.tasks) {
    if (t.type === 'BILLING_HANDOFF' || t.action === 'delete') continue;
    items.set(t.orderItemId, [...(items.get(t.orderItemId) ?? []), t]);
  }
  const findings: FindingDraft[] = [];
  for (const [itemId, tasks] of items) {
    if (!tasks.every((t) => t.state === 'DONE')) continue;
    const fulfilledAt =
      tasks
        .map((t) => t.completedAt ?? '')
        .sort()
        .at(-1) || undefined;
    const overdue = order.state === 'completed' || age(now, fulfilledAt) > thresholdMs;
    if (!overdue) continue;
    findings.push({
      check: 'fulfilled-item-billed',
      classification: 'FULFILLED_WITHOUT_BILLING',
      severity: 'HIGH',
      sourceRecord: {
        system: 'oms',
        type: 'ProductOrderItem',
        id: itemId,
        orderId: order.id,
        version: order.version,
        state: 'fulfilled',
        fulfilledAt,
      },
      counterpartRecord: billing
        ? {
            system: 'billing',
            type: 'BillingHandoff',
            id: billing.id,
            state: billing.state,
            correlationId: billing.correlationId,
          }
        : null,
      difference: `item fulfilled${fulfilledAt ? ` at ${fulfilledAt}` : ''} but billing handoff is ${billing?.state ?? 'missing'}`,
      repairDecision: {
        mode: 'MANUAL',
        action: 'Billing ops: confirm the subscription with billing, then repair the billing handoff task',
        reason: 'Starting billing is a commercial commitment: never automatic from reconciliation',
      },
    });
  }
  return findings;
};

export type PartitionDifference = {
  view: string;
  partition: string;
  kind: 'MISSING_IN_PROJECTION' | 'EXTRA_IN_PROJECTION' | 'CHECKSUM_MISMATCH';
  sourceChecksum?: string;
  projectionChecksum?: string;
  sourceVersion?: number;
  projectionVersion?: number;
};

/** Read model → source: rebuilding a row from source events is declared safe. */
export const projectionDrift = (d: PartitionDifference): FindingDraft => ({
  check: 'projection-vs-source',
  classification: 'PROJECTION_DRIFT',
  severity: 'LOW',
  sourceRecord: {
    system: 'aggregates-outbox',
    type: `${d.view}:source`,
    id: d.partition,
    version: d.sourceVersion,
    checksum: d.sourceChecksum,
  },
  counterpartRecord: {
    system: 'read-models',
    type: d.view,
    id: d.partition,
    version: d.projectionVersion,
    checksum: d.projectionChecksum,
  },
  difference: `${d.kind}: projection checksum ${d.projectionChecksum ?? 'none'} ≠ source ${d.sourceChecksum ?? 'none'}`,
  repairDecision:
    d.kind === 'EXTRA_IN_PROJECTION'
      ? {
          mode: 'MANUAL',
          action:
            'Verify against the aggregate; if it does not exist, rebuild the projection (npm run ops -- rebuild-projections)',
          reason: 'No source events: the outbox may have expired; deleting is not declared safe',
        }
      : {
          mode: 'AUTO',
          action: 'Rebuild the row from the source events',
          reason: 'A projection row is derived data: replacing it from source cannot change any decision',
        },
});
