import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type ExtraItem, loadAggregate, type Stored, saveAggregate } from '#adapters/aggregate-store';
import { aggregatePage, readPage } from '#adapters/key-pages';
import { type OrderListFilter, orderIndexKeys, planOrderList } from '#domain/access/list-keys';
import { cancellationIndexKeys, planCancellationList } from '#domain/access/tmf-list-keys';
import { canSee } from '#domain/access/visibility';
import type { Actor } from '#domain/actor';
import { DomainError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';
import type { CancelProductOrder, ProductOrder } from '#domain/order/product-order';
import { type DateRange, inRange, listKeyBounds } from '#domain/tmf/list-query';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/** Indexed attributes of the aggregate item, for listing and for people reading the table. */
export const orderAttributes = (order: ProductOrder): Record<string, unknown> => ({
  ...orderIndexKeys(order),
  ...cancellationIndexKeys(order),
  ...(order.cancellation ? { cancellation: order.cancellation } : {}),
  channelId: order.channelId,
  state: order.state,
  quoteId: order.quoteId,
  orderDate: order.orderDate,
});

export const loadOrder = (orderId: string): Promise<Stored<ProductOrder> | undefined> =>
  loadAggregate<ProductOrder>('ORDER', orderId);

/** A partner sees its own channel only; anything else is indistinguishable from absent. */
export const loadOrderFor = async (principal: Actor, orderId: string): Promise<Stored<ProductOrder>> => {
  const stored = await loadOrder(orderId);
  if (!stored || !canSee(principal, stored.aggregate.channelId)) {
    throw new DomainError('NOT_FOUND', `Product order ${orderId} not found`);
  }
  return stored;
};

export const saveOrder = (
  order: ProductOrder,
  expectedVersion: number,
  events: readonly DomainEvent[],
  ctx: { correlationId: string; now: string },
  extraItems?: ExtraItem[],
): Promise<number> =>
  saveAggregate({
    kind: 'ORDER',
    id: order.id,
    expectedVersion,
    aggregate: order,
    events,
    correlationId: ctx.correlationId,
    now: ctx.now,
    attributes: orderAttributes(order),
    ...(extraItems ? { extraItems } : {}),
  });

// ---- quote conversion ------------------------------------------------------------------------

export const conversionKey = (quoteId: string) => ({ pk: `CONVERSION#${quoteId}`, sk: 'A' });

/**
 * The unique conversion record: written in the order's transaction with `mustNotExist`, so one
 * accepted quote gives at most one order whatever the idempotency keys of racing requests.
 */
export const conversionRecord = (
  order: ProductOrder,
  ctx: { correlationId: string; now: string },
): ExtraItem => ({
  item: {
    ...conversionKey(order.quoteId),
    itemType: 'conversion',
    quoteId: order.quoteId,
    orderId: order.id,
    channelId: order.channelId,
    createdAt: ctx.now,
    correlationId: ctx.correlationId,
  },
  mustNotExist: true,
});

export const loadConversion = async (quoteId: string): Promise<{ orderId: string } | undefined> => {
  const res = await documentClient().send(
    new GetCommand({ TableName: env.table('aggregates'), Key: conversionKey(quoteId), ConsistentRead: true }),
  );
  return res.Item ? { orderId: String(res.Item.orderId) } : undefined;
};

// ---- listing ---------------------------------------------------------------------------------

export type OrderFilter = OrderListFilter & {
  quoteId?: string;
  limit: number;
  offset: number;
  /** Sort key after which the page starts (decoded cursor). */
  after?: string;
  /** TMF `orderDate.gt|gte|lt|lte`: orders created inside it (list keys start with the instant). */
  orderDate?: DateRange;
};

export type OrderPage = { orders: ProductOrder[]; next?: string; total?: number };

const withVersion = (item: Record<string, unknown>): ProductOrder => ({
  ...(item.data as ProductOrder),
  version: item.version as number,
});

/** A quote converts into at most one order: its conversion record names it (exact total). */
const orderOfQuote = async (principal: Actor, filter: OrderFilter): Promise<OrderPage> => {
  const conversion = await loadConversion(filter.quoteId ?? '');
  const stored = conversion ? await loadOrder(conversion.orderId) : undefined;
  const order = stored ? { ...stored.aggregate, version: stored.version } : undefined;
  const visible =
    order &&
    canSee(principal, order.channelId) &&
    (!filter.channelId || order.channelId === filter.channelId) &&
    (!filter.accountId || order.accountId === filter.accountId) &&
    (!filter.state || order.state === filter.state) &&
    (!filter.externalId || order.externalId === filter.externalId) &&
    inRange(order.orderDate, filter.orderDate);
  const all = visible ? [order] : [];
  return { orders: all.slice(filter.offset, filter.offset + filter.limit), total: all.length };
};

/**
 * Newest first, from the index the filter selects (see `planOrderList`): a page of keys, then
 * exactly the orders on the page. Partners are confined to their channel by the key.
 */
export const listOrders = async (principal: Actor, filter: OrderFilter): Promise<OrderPage> => {
  if (filter.quoteId !== undefined) return orderOfQuote(principal, filter);
  const plan = planOrderList(principal, filter);
  const table = env.table('aggregates');
  const page = await aggregatePage({
    table,
    index: plan.index,
    partitionAttribute: plan.partitionAttribute,
    partitions: plan.partitions,
    limit: filter.limit,
    offset: filter.offset,
    ...(filter.after ? { after: filter.after } : {}),
    ...(filter.orderDate ? { range: listKeyBounds(filter.orderDate) } : {}),
    ...(plan.where ? { where: plan.where } : {}),
  });
  const items = page.items;
  // Indexes are eventually consistent: an order that moved on since its index entry was read is
  // left out rather than shown under a filter it no longer matches (the page may come back short).
  const orders = items
    .map(withVersion)
    .filter((o) => (!filter.state || o.state === filter.state) && canSee(principal, o.channelId));
  return { orders, ...(page.next ? { next: page.next } : {}) };
};

// ---- cancellations ---------------------------------------------------------------------------

/** Newest requested first; the sparse index carries each cancellation, so nothing else is read. */
export const listCancellations = async (
  principal: Actor,
  filter: { channelId?: string; limit: number; offset: number; after?: string },
): Promise<{ cancellations: CancelProductOrder[]; next?: string }> => {
  const plan = planCancellationList(principal, filter);
  const page = await readPage({
    table: env.table('aggregates'),
    index: plan.index,
    partitionAttribute: plan.partitionAttribute,
    sortAttribute: 'cancelListKey',
    partitions: plan.partitions,
    direction: 'newestFirst',
    limit: filter.limit,
    offset: filter.offset,
    ...(filter.after ? { after: filter.after } : {}),
  });
  const cancellations = page.entries
    .map((entry) => entry.cancellation as CancelProductOrder)
    .filter((c) => c !== undefined && canSee(principal, c.channelId));
  return { cancellations, ...(page.next ? { next: page.next } : {}) };
};
