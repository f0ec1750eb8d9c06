import type { DomainEvent } from '#domain/events';
import { type FulfillmentTask, ORDER_LEVEL_ITEM } from '#domain/order/fulfillment-task';
import type {
  CancelProductOrder,
  OrderRevision,
  ProductOrder,
  RepairAuditRecord,
} from '#domain/order/product-order';

const DOMAIN = 'productOrder';

const orderHeader = (order: ProductOrder) => ({
  id: order.id,
  state: order.state,
  channelId: order.channelId,
  accountId: order.accountId,
  quoteId: order.quoteId,
});

const itemSummaries = (order: ProductOrder) =>
  order.items.map((i) => ({
    id: i.id,
    quoteItemId: i.quoteItemId,
    offeringId: i.offeringId,
    productFamily: i.productFamily,
    quantity: i.quantity,
    action: i.action,
    productName: i.productName,
    expectedCompletionDate: i.expectedCompletionDate,
  }));

export const orderCreated = (order: ProductOrder): DomainEvent => ({
  eventType: 'ProductOrderCreateEvent',
  domain: DOMAIN,
  resource: {
    ...orderHeader(order),
    billingAccountId: order.billingAccountId,
    externalId: order.externalId,
    orderDate: order.orderDate,
    currency: order.currency,
    customerName: order.customerName,
    quoteRevision: order.quoteRevision,
    requestedCompletionDate: order.requestedCompletionDate,
    productOrderItem: itemSummaries(order),
  },
});

/** A revision applied: the tracking view and the account timeline show it, with the items now held. */
export const orderRevised = (order: ProductOrder, revision: OrderRevision): DomainEvent => ({
  eventType: 'ProductOrderRevisionEvent',
  domain: DOMAIN,
  resource: {
    ...orderHeader(order),
    revision: revision.revision,
    previousQuoteId: revision.previousQuoteId,
    at: revision.at,
    ...(revision.reason !== undefined ? { reason: revision.reason } : {}),
    addedItemIds: revision.addedItemIds,
    removedItemIds: revision.removedItems.map((i) => i.id),
    cancelledTaskIds: revision.cancelledTaskIds,
    compensationTaskIds: revision.compensationTaskIds,
    productOrderItem: itemSummaries(order),
  },
});

/** Channel-visible attributes changed (PATCH); names only, the resource carries the values. */
export const orderAttributesChanged = (order: ProductOrder, changedAttributes: string[]): DomainEvent => ({
  eventType: 'ProductOrderAttributeValueChangeEvent',
  domain: DOMAIN,
  resource: { ...orderHeader(order), changedAttributes, at: order.updatedAt },
});

const taskResource = (order: ProductOrder, task: FulfillmentTask, previousState: string | null) => ({
  orderId: order.id,
  channelId: order.channelId,
  accountId: order.accountId,
  taskId: task.id,
  orderItemId: task.orderItemId,
  productFamily: order.items.find((i) => i.id === task.orderItemId)?.productFamily,
  type: task.type,
  action: task.action,
  downstream: task.downstream,
  ruleVersion: task.ruleVersion,
  correlationId: task.correlationId,
  state: task.state,
  previousState,
  attempts: task.attempts,
  lastErrorCode: task.lastErrorCode,
  ownerTeam: task.ownerTeam,
  compensationOf: task.compensationOf,
  evidence: task.evidence,
  dispatchedAt: task.dispatchedAt,
  completedAt: task.completedAt,
  unknownSince: task.unknownSince,
  queries: task.queries,
  ...(task.wait
    ? {
        wait: {
          downstreamRef: task.wait.downstreamRef,
          acceptedAt: task.wait.acceptedAt,
          expectedBy: task.wait.expectedBy,
          lastHeardAt: task.wait.lastHeardAt,
          ...(task.wait.jeopardy ? { jeopardy: task.wait.jeopardy } : {}),
        },
      }
    : {}),
  ...(task.progress
    ? {
        progress: {
          count: task.progress.count,
          lastAt: task.progress.lastAt,
          ...(task.progress.recent.at(-1)?.message ? { message: task.progress.recent.at(-1)?.message } : {}),
        },
      }
    : {}),
});

const taskChanged = (before: FulfillmentTask | undefined, after: FulfillmentTask): boolean =>
  !before ||
  before.state !== after.state ||
  before.attempts !== after.attempts ||
  before.queries !== after.queries ||
  before.lastErrorCode !== after.lastErrorCode ||
  before.wait?.lastHeardAt !== after.wait?.lastHeardAt ||
  (after.wait !== undefined && before.lastQueriedAt !== after.lastQueriedAt) ||
  before.wait?.jeopardy !== after.wait?.jeopardy ||
  before.progress?.count !== after.progress?.count;

/**
 * A task planned (PENDING) or dropped before it reached a downstream (PENDING → CANCELLED) is told
 * by the order-level event of the same write (plan created, cancellation): an event per such task
 * would make the start or the cancellation of a 500-item order one write of a thousand events.
 */
const toldByTheOrder = (before: FulfillmentTask | undefined, after: FulfillmentTask): boolean =>
  before ? before.state === 'PENDING' && after.state === 'CANCELLED' : after.state === 'PENDING';

/**
 * One event per observable change between two versions of the order: a state change event when
 * the order state moved, a task event per task that changed (`toldByTheOrder` aside).
 */
export const changeEvents = (before: ProductOrder, after: ProductOrder): DomainEvent[] => {
  const events: DomainEvent[] = [];
  if (before.state !== after.state) {
    events.push({
      eventType: 'ProductOrderStateChangeEvent',
      domain: DOMAIN,
      resource: {
        ...orderHeader(after),
        previousState: before.state,
        at: after.updatedAt,
        fallout: after.fallout,
        completionDate: after.completionDate,
      },
    });
  }
  const previous = new Map(before.tasks.map((t) => [t.id, t]));
  for (const task of after.tasks) {
    const old = previous.get(task.id);
    if (taskChanged(old, task) && !toldByTheOrder(old, task)) {
      events.push({
        eventType: 'FulfillmentTaskStateChangeEvent',
        domain: DOMAIN,
        resource: taskResource(after, task, old?.state ?? null),
      });
    }
  }
  return events;
};

export const planCreated = (order: ProductOrder): DomainEvent => ({
  eventType: 'FulfillmentPlanCreateEvent',
  domain: DOMAIN,
  resource: {
    orderId: order.id,
    channelId: order.channelId,
    ruleVersion: order.plan?.ruleVersion,
    taskIds: order.plan?.taskIds ?? [],
    itemDependencies: itemDependenciesOf(order.tasks),
  },
});

/** For each item, the other order items its tasks wait for (the order-level billing handoff aside). */
export const itemDependenciesOf = (tasks: readonly FulfillmentTask[]): Record<string, string[]> => {
  const itemOf = new Map(tasks.map((t) => [t.id, t.orderItemId]));
  const out: Record<string, string[]> = {};
  for (const task of tasks) {
    if (task.orderItemId === ORDER_LEVEL_ITEM) continue;
    for (const dep of task.dependsOn) {
      const other = itemOf.get(dep);
      if (!other || other === task.orderItemId || other === ORDER_LEVEL_ITEM) continue;
      const list = out[task.orderItemId] ?? [];
      if (!list.includes(other)) out[task.orderItemId] = [...list, other].sort();
    }
  }
  return out;
};

export const repairRecorded = (order: ProductOrder, record: RepairAuditRecord): DomainEvent => ({
  eventType: 'FulfillmentTaskRepairEvent',
  domain: DOMAIN,
  resource: { orderId: order.id, channelId: order.channelId, accountId: order.accountId, ...record },
});

/** What the `fulfillment-triggers` rule listens to: a repair resumes the workflow. */
export const repairRequested = (order: ProductOrder, record: RepairAuditRecord): DomainEvent => ({
  eventType: 'ProductOrderRepairEvent',
  domain: DOMAIN,
  resource: {
    id: order.id,
    orderId: order.id,
    repairId: record.id,
    taskId: record.taskId,
    action: record.action,
    reasonCode: record.reasonCode,
  },
});

export const cancellationEvent = (
  eventType: 'CancelProductOrderCreateEvent' | 'CancelProductOrderStateChangeEvent',
  cancel: CancelProductOrder,
): DomainEvent => ({ eventType, domain: DOMAIN, resource: { ...cancel } });
