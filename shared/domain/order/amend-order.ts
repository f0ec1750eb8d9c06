import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import type { AcceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { billingHandoffParts } from '#domain/order/billing-handoff';
import { planCompensation } from '#domain/order/compensation';
import {
  assertConvertible,
  itemsFromSnapshot,
  type ProductOrderCreateRequest,
} from '#domain/order/convert-quote';
import { decomposeOrder } from '#domain/order/decomposition';
import { type FulfillmentTask, newExecution } from '#domain/order/fulfillment-task';
import { billingStarted, isItemPastPointOfNoReturn } from '#domain/order/item-point-of-no-return';
import { expectedCompletionOf } from '#domain/order/jeopardy';
import { assertFulfillable } from '#domain/order/order-bounds';
import { assertOrderState } from '#domain/order/order-changes';
import { changeEvents, orderAttributesChanged, orderRevised } from '#domain/order/order-events';
import type {
  OrderCommandResult,
  OrderRevision,
  ProductOrder,
  ProductOrderItem,
} from '#domain/order/product-order';

/** Revisions an order keeps as evidence; beyond, a new order is the honest answer. */
export const maxRevisions = 20;

/**
 * A revision of an order in flight. The order's items always come from one accepted quote: a
 * revision names a new accepted quote of the same account (the amended deal, priced and approved
 * on the quote side) and the order items that cover its lines, as an order is created. Items
 * whose id the order already holds are kept, ids the order lacks are added, items the revision
 * no longer lists are removed; an item that changes takes a new id (remove + add).
 */
export type AmendmentRequest = {
  /**
   * The revision this request creates: the order's current revision + 1. Absent (a TMF622 PATCH
   * of `productOrderItem`, version-checked by If-Match instead): the next one.
   */
  revision?: number;
  productOrderItem: NonNullable<ProductOrderCreateRequest['productOrderItem']>;
  reason?: string;
};

export type AmendmentResult = OrderCommandResult & { revision: OrderRevision; replayed: boolean };

const mismatch = (message: string, details: Record<string, unknown>) =>
  new DomainError('ORDER_QUOTE_MISMATCH', message, details);

/** What fulfillment does with an item: the same values plan the same work. */
const fulfillmentOf = (item: ProductOrderItem) =>
  JSON.stringify([
    item.offeringId,
    item.action,
    item.quantity,
    Object.entries(item.options).sort(([a], [b]) => a.localeCompare(b)),
    item.change?.productId ?? null,
  ]);

const sameRequest = (applied: OrderRevision, quoteId: string, itemIds: readonly string[]): boolean =>
  applied.quoteId === quoteId &&
  JSON.stringify([...applied.addedItemIds, ...applied.keptItemIds].sort()) ===
    JSON.stringify([...itemIds].sort());

/** A revision already applied answers with the order as it is; another content for its number is a conflict. */
const replayOf = (
  order: ProductOrder,
  request: AmendmentRequest,
  quote: AcceptedQuoteSnapshot,
): AmendmentResult | undefined => {
  const itemIds = request.productOrderItem.map((i) => i.id ?? '');
  if (request.revision === undefined) {
    // Without a number, the same request as the last revision is that revision again.
    const last = order.revisions?.at(-1);
    return last && sameRequest(last, quote.quoteId, itemIds)
      ? { order, events: [], revision: last, replayed: true }
      : undefined;
  }
  const applied = order.revisions?.find((r) => r.revision === request.revision);
  if (!applied) return undefined;
  if (!sameRequest(applied, quote.quoteId, itemIds)) {
    throw new DomainError(
      'VERSION_CONFLICT',
      `Revision ${request.revision} was applied with another content`,
      {
        orderId: order.id,
        currentRevision: order.revision ?? 0,
      },
    );
  }
  return { order, events: [], revision: applied, replayed: true };
};

const assertNextRevision = (order: ProductOrder, request: AmendmentRequest): number => {
  const current = order.revision ?? 0;
  if (request.revision !== undefined && request.revision !== current + 1) {
    throw new DomainError('VERSION_CONFLICT', `The order is at revision ${current}`, {
      orderId: order.id,
      currentRevision: current,
      expectedRevision: current + 1,
    });
  }
  if (current >= maxRevisions) {
    throw new DomainError('ORDER_TOO_LARGE', `An order keeps at most ${maxRevisions} revisions`, {
      limit: { revisions: maxRevisions },
    });
  }
  return current + 1;
};

const assertSameDeal = (order: ProductOrder, quote: AcceptedQuoteSnapshot, now: string): void => {
  const used = new Set([order.quoteId, ...(order.revisions ?? []).map((r) => r.previousQuoteId)]);
  if (used.has(quote.quoteId)) {
    throw mismatch('A revision names a new accepted quote', { quoteId: quote.quoteId });
  }
  if (quote.channelId !== order.channelId || quote.accountId !== order.accountId) {
    throw mismatch('The revision quote belongs to another account', { quoteId: quote.quoteId });
  }
  assertConvertible(quote, now);
  if (quote.currency !== order.currency) {
    throw mismatch('The revision quote is in another currency', {
      quoteId: quote.quoteId,
      currency: quote.currency,
    });
  }
};

type Delta = { kept: ProductOrderItem[]; added: ProductOrderItem[]; removed: ProductOrderItem[] };

/** Which items the revision keeps, adds and removes; refuses what it cannot express. */
const deltaOf = (order: ProductOrder, items: ProductOrderItem[]): Delta => {
  const before = new Map(order.items.map((i) => [i.id, i]));
  const after = new Set(items.map((i) => i.id));
  const kept = items.filter((i) => before.has(i.id));
  const added = items.filter((i) => !before.has(i.id));
  const removed = order.items.filter((i) => !after.has(i.id));
  const changed = kept.filter((i) => fulfillmentOf(i) !== fulfillmentOf(before.get(i.id)!)).map((i) => i.id);
  if (changed.length > 0) {
    throw mismatch('A changed item takes a new id: remove it and add the new one', { items: changed });
  }
  const usedIds = new Set(order.tasks.map((t) => t.orderItemId));
  const reused = added.filter((i) => usedIds.has(i.id)).map((i) => i.id);
  if (reused.length > 0) throw mismatch('These item ids were used by removed items', { items: reused });
  const changes = [...added, ...removed].filter((i) => i.change).map((i) => i.id);
  if (changes.length > 0) {
    throw new DomainError('ACTION_NOT_APPLICABLE', 'A revision adds and removes new sales only', {
      items: changes,
    });
  }
  return { kept, added, removed };
};

const assertBeforePointOfNoReturn = (order: ProductOrder, delta: Delta): void => {
  // Billing covers every item with its price: once it started, any revision changes what it billed.
  const past = billingStarted(order)
    ? order.items.map((i) => i.id)
    : delta.removed.filter((i) => isItemPastPointOfNoReturn(order, i.id)).map((i) => i.id);
  if (past.length > 0) {
    throw new DomainError('POINT_OF_NO_RETURN', 'These items are committed downstream', {
      orderId: order.id,
      items: past,
    });
  }
};

/** Work of a kept item that waits for a removed item's work would never run. */
const assertNoDependentKept = (order: ProductOrder, delta: Delta): void => {
  const removed = new Set(delta.removed.map((i) => i.id));
  const removedTasks = new Set(order.tasks.filter((t) => removed.has(t.orderItemId)).map((t) => t.id));
  const dependent = delta.kept
    .filter((item) =>
      order.tasks.some((t) => t.orderItemId === item.id && t.dependsOn.some((d) => removedTasks.has(d))),
    )
    .map((i) => i.id);
  if (dependent.length > 0) {
    throw mismatch('These items need an item the revision removes', { items: dependent });
  }
};

/** The running plan amended: withdrawn work dropped or compensated, added items' work planned. */
const amendedTasks = (
  order: ProductOrder,
  next: ProductOrder,
  delta: Delta,
): { tasks: FulfillmentTask[]; cancelled: string[]; compensations: string[] } => {
  if (!order.plan) return { tasks: order.tasks, cancelled: [], compensations: [] };
  const decomposition = decomposeOrder(next);
  if (!decomposition.ok) {
    throw mismatch('The revised items cannot be fulfilled', { failure: decomposition.failure });
  }
  const removed = new Set(delta.removed.map((i) => i.id));
  const added = new Set(delta.added.map((i) => i.id));
  // The billing handoff is planned again for the items the order now holds, in as many parts as
  // they need: a part both plans keep is re-aimed, a new part joins, a part no longer needed is
  // dropped (billing waits for every provisioning task, so an amendable order has sent none).
  const parts = new Map(
    decomposition.tasks.filter((t) => t.type === 'BILLING_HANDOFF').map((t) => [t.id, t] as const),
  );
  const isHandoff = (t: FulfillmentTask) => t.type === 'BILLING_HANDOFF' && t.compensationOf === undefined;
  const cancelled: string[] = [];
  const tasks = order.tasks
    .filter((t) => !isHandoff(t) || parts.has(t.id) || t.state !== 'PENDING')
    .map((t): FulfillmentTask => {
      const part = isHandoff(t) ? parts.get(t.id) : undefined;
      if (part) return { ...t, dependsOn: part.dependsOn, payload: part.payload };
      if (removed.has(t.orderItemId) && t.compensationOf === undefined && t.state === 'PENDING') {
        cancelled.push(t.id);
        return { ...t, state: 'CANCELLED' };
      }
      return t;
    });
  const held = new Set(order.tasks.map((t) => t.id));
  const newParts = [...parts.values()]
    .filter((t) => !held.has(t.id))
    .map((t) => ({ ...t, ...newExecution() }));
  const compensations = planCompensation({ ...order, tasks }, (t) => removed.has(t.orderItemId));
  const planned = decomposition.tasks
    .filter((t) => added.has(t.orderItemId))
    .map((t) => ({ ...t, ...newExecution() }));
  return {
    tasks: [...tasks, ...planned, ...newParts, ...compensations],
    cancelled,
    compensations: compensations.map((t) => t.id),
  };
};

/**
 * Amends an order in flight to a new accepted quote (see `AmendmentRequest`). Each removed item
 * must be before its point of no return (`item-point-of-no-return.ts`), else 422 naming the
 * items and nothing changes. Its work that never reached a downstream is dropped, work that may
 * have is compensated; added items' work joins the running plan, and the billing handoff is
 * planned again for the items the order now holds. Replaying an applied revision changes nothing.
 */
export const amendOrder = (
  order: ProductOrder,
  request: AmendmentRequest,
  quote: AcceptedQuoteSnapshot,
  ctx: CommandContext & { leadTimes?: Record<string, number>; productNames?: Record<string, string> },
): AmendmentResult => {
  const replay = replayOf(order, request, quote);
  if (replay) return replay;
  assertOrderState(order, ['acknowledged', 'inProgress'], 'amend');
  const number = assertNextRevision(order, request);
  assertSameDeal(order, quote, ctx.now);
  const previous = new Map(order.items.map((i) => [i.id, i]));
  const items = itemsFromSnapshot(
    { quote: [{ id: quote.quoteId }], productOrderItem: request.productOrderItem },
    quote,
    (offeringId) => expectedCompletionOf(ctx.now, offeringId, ctx.leadTimes ?? {}),
    ctx.productNames ?? {},
  ).map((item) => {
    const kept = previous.get(item.id);
    return kept?.expectedCompletionDate
      ? { ...item, expectedCompletionDate: kept.expectedCompletionDate }
      : item;
  });
  const delta = deltaOf(order, items);
  assertBeforePointOfNoReturn(order, delta);
  assertNoDependentKept(order, delta);
  const revised: ProductOrder = {
    ...order,
    items,
    quoteId: quote.quoteId,
    quoteAcceptance: { ...quote.acceptance! },
    catalogVersion: quote.catalogVersion,
    priceBookVersion: quote.priceBookVersion,
    updatedAt: ctx.now,
  };
  const { tasks, cancelled, compensations } = amendedTasks(order, revised, delta);
  const record: OrderRevision = {
    revision: number,
    quoteId: quote.quoteId,
    previousQuoteId: order.quoteId,
    snapshotHash: quote.acceptance!.snapshotHash,
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
    requestedBy: ctx.actor.principalId,
    at: ctx.now,
    correlationId: ctx.correlationId,
    addedItemIds: delta.added.map((i) => i.id),
    keptItemIds: delta.kept.map((i) => i.id),
    removedItems: delta.removed.map((i) => ({
      id: i.id,
      quoteItemId: i.quoteItemId,
      offeringId: i.offeringId,
      quantity: i.quantity,
    })),
    cancelledTaskIds: cancelled,
    compensationTaskIds: compensations,
  };
  const after: ProductOrder = {
    ...revised,
    tasks,
    ...(order.plan
      ? {
          plan: {
            ...order.plan,
            taskIds: tasks.filter((t) => t.compensationOf === undefined).map((t) => t.id),
          },
        }
      : {}),
    revision: number,
    revisions: [...(order.revisions ?? []), record],
  };
  assertFulfillable(after.items.length, billingHandoffParts(after));
  return {
    order: after,
    revision: record,
    replayed: false,
    events: [
      orderRevised(after, record),
      orderAttributesChanged(after, ['productOrderItem', 'quote']),
      ...changeEvents(order, after),
    ],
  };
};
