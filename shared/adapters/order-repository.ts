import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ExtraItem, loadAggregate, type Stored, saveAggregate } from '#adapters/aggregate-store';
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

export const loadConversion = async (quoteId: string): Promise<{ orderId: string } | undefined> => {
  const res = await documentClient().send(
    new GetCommand({ TableName: env.table('aggregates'), Key: conversionKey(quoteId), ConsistentRead: true }),
  );
  return res.Item ? { orderId: String(res.Item.orderId) } : undefined;
};

// ---- listing ---------------------------------------------------------------------------------

export type OrderFilter = { state?: ProductOrderState; quoteId?: string; limit: number; offset: number };

/** Order aggregates newest first from the `byType` index; filters apply to the current item. */
const queryOrders = async (principal: Actor, filter: OrderFilter): Promise<ProductOrder[]> => {
  const out: ProductOrder[] = [];
  const filters: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':t': 'order' };
  if (principal.role === 'partner') {
    filters.push('channelId = :c');
    values[':c'] = principal.channelId;
  }
  if (filter.quoteId) {
    filters.push('quoteId = :q');
    values[':q'] = filter.quoteId;
  }
  if (filter.state) {
    filters.push('#state = :s');
    names['#state'] = 'state';
    values[':s'] = filter.state;
  }
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: env.table('aggregates'),
        IndexName: 'byType',
        KeyConditionExpression: 'itemType = :t',
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? [])
      out.push({ ...(item.data as ProductOrder), version: item.version as number });
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
};

/** Newest first; the state filter applies to the current aggregate, not to a projection. */
export const listOrders = async (
  principal: Actor,
  filter: OrderFilter,
): Promise<{ total: number; orders: ProductOrder[] }> => {
  const matching = await queryOrders(principal, filter);
  return { total: matching.length, orders: matching.slice(filter.offset, filter.offset + filter.limit) };
};
