import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  aggregateKey,
  type ExtraItem,
  loadAggregate,
  type Stored,
  saveAggregate,
} from '#adapters/aggregate-store';
import type { Actor } from '#domain/actor';
import { DomainError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';
import type { AcceptedQuoteLine, AcceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import type { ProductOrder, ProductOrderState } from '#domain/order/product-order';
import type { Quote } from '#domain/quote/quote';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/** Indexed attributes of the aggregate item, for listing and for people reading the table. */
export const orderAttributes = (order: ProductOrder): Record<string, string> => ({
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
  if (!stored || (principal.role === 'partner' && stored.aggregate.channelId !== principal.channelId)) {
    throw new DomainError('NOT_FOUND', `Product order ${orderId} not found`);
  }
  return stored;
};

export const saveOrder = (
  order: ProductOrder,
  expectedVersion: number,
  events: DomainEvent[],
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

/** What order conversion reads from a stored quote: the accepted snapshot, never the catalog. */
export const acceptedQuoteSnapshot = (quote: Quote): AcceptedQuoteSnapshot => {
  const waterfall = new Map((quote.priceSnapshot?.lines ?? []).map((l) => [l.lineId, l]));
  const lines: AcceptedQuoteLine[] = quote.lines.map((line) => {
    const priced = waterfall.get(line.lineId);
    return {
      lineId: line.lineId,
      offeringId: line.offeringId,
      quantity: line.quantity,
      options: { ...line.options } as Record<string, string | number>,
      price: {
        netOneTime: priced?.netOneTime ?? 0,
        netRecurring: priced?.netRecurring ?? 0,
        listOneTime: priced?.listOneTime ?? 0,
        listRecurring: priced?.listRecurring ?? 0,
        discountPercent: priced?.discountPercent ?? 0,
      },
    };
  });
  return {
    quoteId: quote.id,
    channelId: quote.channelId,
    accountId: quote.customer.accountId,
    state: quote.state,
    validUntil: quote.validFor.endDateTime,
    ...(quote.acceptance
      ? {
          acceptance: {
            snapshotHash: quote.acceptance.snapshotHash,
            acceptedAt: quote.acceptance.acceptedAt,
          },
        }
      : {}),
    currency: quote.currency,
    lines,
    catalogVersion: quote.acceptance?.catalogVersion ?? quote.priceSnapshot?.catalogVersion ?? '',
    priceBookVersion: quote.acceptance?.priceBookVersion ?? quote.priceSnapshot?.priceBookVersion ?? '',
  };
};

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

/**
 * An immutable listing entry (GSI `byType`, itemType `order-listing`, sorted by creation time).
 * It exists because the aggregate item loses `createdAt` on its first update, so the aggregate
 * itself drops out of the index; the list reads current state from the aggregates.
 */
export const listingRecord = (order: ProductOrder, ctx: { now: string }): ExtraItem => ({
  item: {
    pk: aggregateKey('ORDER', order.id).pk,
    sk: 'LISTING',
    itemType: 'order-listing',
    createdAt: ctx.now,
    orderId: order.id,
    channelId: order.channelId,
    quoteId: order.quoteId,
  },
});

export const loadConversion = async (quoteId: string): Promise<{ orderId: string } | undefined> => {
  const res = await documentClient().send(
    new GetCommand({ TableName: env.table('aggregates'), Key: conversionKey(quoteId), ConsistentRead: true }),
  );
  return res.Item ? { orderId: String(res.Item.orderId) } : undefined;
};

// ---- listing ---------------------------------------------------------------------------------

export type OrderFilter = { state?: ProductOrderState; quoteId?: string; limit: number; offset: number };

type ListingEntry = { orderId: string; channelId: string; quoteId: string; createdAt: string };

const listingEntries = async (principal: Actor, quoteId?: string): Promise<ListingEntry[]> => {
  const out: ListingEntry[] = [];
  const filters: string[] = [];
  const values: Record<string, unknown> = { ':t': 'order-listing' };
  if (principal.role === 'partner') {
    filters.push('channelId = :c');
    values[':c'] = principal.channelId;
  }
  if (quoteId) {
    filters.push('quoteId = :q');
    values[':q'] = quoteId;
  }
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: env.table('aggregates'),
        IndexName: 'byType',
        KeyConditionExpression: 'itemType = :t',
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) out.push(item as ListingEntry);
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
};

const loadMany = async (ids: string[]): Promise<Map<string, ProductOrder>> => {
  const found = new Map<string, ProductOrder>();
  const table = env.table('aggregates');
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids
      .slice(i, i + 100)
      .map((id) => aggregateKey('ORDER', id));
    while (keys && keys.length > 0) {
      const res = await documentClient().send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of res.Responses?.[table] ?? []) {
        const order = item.data as ProductOrder;
        found.set(order.id, { ...order, version: item.version as number });
      }
      keys = res.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return found;
};

/** Newest first; the state filter applies to the current aggregate, not to a projection. */
export const listOrders = async (
  principal: Actor,
  filter: OrderFilter,
): Promise<{ total: number; orders: ProductOrder[] }> => {
  const entries = await listingEntries(principal, filter.quoteId);
  const ids = [...new Set(entries.map((e) => e.orderId))];
  const byId = await loadMany(ids);
  const matching = ids
    .map((id) => byId.get(id))
    .filter((o): o is ProductOrder => o !== undefined)
    .filter((o) => principal.role !== 'partner' || o.channelId === principal.channelId)
    .filter((o) => !filter.state || o.state === filter.state);
  return { total: matching.length, orders: matching.slice(filter.offset, filter.offset + filter.limit) };
};
