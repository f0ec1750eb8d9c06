import { canSee } from '#domain/access/visibility';
import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import type { AcceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { billingHandoffParts } from '#domain/order/billing-handoff';
import { committedLineOf } from '#domain/order/committed-line';
import { expectedCompletionOf } from '#domain/order/jeopardy';
import { appendOrderNotes, assertFulfillable } from '#domain/order/order-bounds';
import { orderCreated } from '#domain/order/order-events';
import type {
  OrderCommandResult,
  OrderItemAction,
  PartyRef,
  ProductOrder,
  ProductOrderItem,
} from '#domain/order/product-order';

/** TMF622 POST /productOrder body (the HTTP schema refuses attributes not listed here). */
export type ProductOrderCreateRequest = {
  quote?: { id?: string }[];
  billingAccount?: { id?: string };
  productOrderItem?: {
    id?: string;
    action?: string;
    quoteItem?: { id?: string; quoteId?: string };
    product?: { id?: string; [key: string]: unknown };
    [key: string]: unknown;
  }[];
  externalId?: string;
  requestedCompletionDate?: string;
  requestedStartDate?: string;
  description?: string;
  category?: string;
  priority?: string;
  notificationContact?: string;
  note?: { id?: string | undefined; text: string }[];
  relatedParty?: PartyRef[];
  [key: string]: unknown;
};

/** The channel's own attributes of the order, kept as sent; notes get their author and date. */
const channelAttributes = (
  request: ProductOrderCreateRequest,
  ctx: CommandContext & { orderId: string },
): Partial<ProductOrder> => {
  const kept: Partial<ProductOrder> = {};
  for (const key of [
    'externalId',
    'requestedCompletionDate',
    'requestedStartDate',
    'description',
    'category',
    'priority',
    'notificationContact',
  ] as const) {
    if (request[key] !== undefined) kept[key] = request[key];
  }
  if (request.relatedParty?.length) kept.relatedParty = request.relatedParty.map((p) => ({ ...p }));
  if (request.note?.length) kept.notes = appendOrderNotes({ id: ctx.orderId }, request.note, ctx);
  return kept;
};

const mismatch = (message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError('ORDER_QUOTE_MISMATCH', message, details);

const assertSameQuote = (request: ProductOrderCreateRequest, quote: AcceptedQuoteSnapshot): void => {
  const ids = (request.quote ?? []).map((q) => q.id);
  if (ids.length !== 1 || ids[0] !== quote.quoteId) {
    throw mismatch('The order must reference exactly the one accepted quote', {
      requested: ids,
      quoteId: quote.quoteId,
    });
  }
};

export const assertConvertible = (quote: AcceptedQuoteSnapshot, now: string): void => {
  if (quote.state !== 'accepted' || !quote.acceptance) {
    throw new DomainError('QUOTE_NOT_ACCEPTED', 'Only an accepted quote converts to an order', {
      quoteId: quote.quoteId,
      state: quote.state,
    });
  }
  if (Date.parse(quote.validUntil) < Date.parse(now)) {
    throw new DomainError('QUOTE_EXPIRED', 'The accepted quote is no longer valid', {
      quoteId: quote.quoteId,
      validUntil: quote.validUntil,
    });
  }
};

/** Items must cover every quote line exactly once; everything but ids comes from the snapshot. */
export const itemsFromSnapshot = (
  request: ProductOrderCreateRequest,
  quote: AcceptedQuoteSnapshot,
  expected: (offeringId: string) => string,
  productNames: Record<string, string>,
): ProductOrderItem[] => {
  const requested = request.productOrderItem ?? [];
  const seenItems = new Set<string>();
  const coveredLines = new Set<string>();
  const items = requested.map((item, index) => {
    const id = item.id?.trim();
    if (!id || seenItems.has(id)) throw mismatch('Order item ids must be present and unique', { index });
    seenItems.add(id);
    const quoteItemId = item.quoteItem?.id;
    if (item.quoteItem?.quoteId !== undefined && item.quoteItem.quoteId !== quote.quoteId) {
      throw mismatch('Order item references another quote', { itemId: id });
    }
    const line = quote.lines.find((l) => l.quoteItemId === quoteItemId);
    if (!line) throw mismatch('Order item references no line of the quote', { itemId: id, quoteItemId });
    if (coveredLines.has(line.quoteItemId)) {
      throw mismatch('A quote line is covered more than once', { quoteItemId: line.quoteItemId });
    }
    coveredLines.add(line.quoteItemId);
    // The action and the product are the quote line's: an order cannot turn a change into a sale.
    const action: OrderItemAction = line.change?.action ?? 'add';
    if (item.action !== action) {
      throw mismatch(`Order item ${id} must have action "${action}", as its quote line`, {
        itemId: id,
        action,
      });
    }
    if (item.product?.id !== undefined && item.product.id !== line.change?.productId) {
      throw mismatch('Order item names another product than its quote line', { itemId: id });
    }
    return {
      ...committedLineOf(line),
      id,
      action,
      expectedCompletionDate: expected(line.offeringId),
      ...(productNames[line.offeringId] ? { productName: productNames[line.offeringId] } : {}),
    };
  });
  const uncovered = quote.lines.filter((l) => !coveredLines.has(l.quoteItemId)).map((l) => l.quoteItemId);
  if (uncovered.length > 0) throw mismatch('Every quote line must be ordered', { uncovered });
  return items;
};

export const convertQuoteToOrder = (
  request: ProductOrderCreateRequest,
  quote: AcceptedQuoteSnapshot,
  ctx: CommandContext & {
    orderId: string;
    leadTimes?: Record<string, number>;
    productNames?: Record<string, string>;
  },
): OrderCommandResult => {
  if (!canSee(ctx.actor, quote.channelId)) {
    throw new DomainError('NOT_FOUND', 'Quote not found', { quoteId: quote.quoteId });
  }
  assertSameQuote(request, quote);
  assertConvertible(quote, ctx.now);
  assertFulfillable(request.productOrderItem?.length ?? 0);
  const billingAccountId = request.billingAccount?.id?.trim();
  if (!billingAccountId) {
    throw new DomainError('BILLING_ACCOUNT_MISSING', 'A billing account is required to order');
  }
  const items = itemsFromSnapshot(
    request,
    quote,
    (offeringId) => expectedCompletionOf(ctx.now, offeringId, ctx.leadTimes ?? {}),
    ctx.productNames ?? {},
  );
  const acceptance = quote.acceptance!;
  const order: ProductOrder = {
    id: ctx.orderId,
    version: 0,
    state: 'acknowledged',
    channelId: quote.channelId,
    accountId: quote.accountId,
    quoteId: quote.quoteId,
    ...(quote.customerName ? { customerName: quote.customerName } : {}),
    ...(quote.quoteRevision !== undefined ? { quoteRevision: quote.quoteRevision } : {}),
    quoteAcceptance: { ...acceptance },
    billingAccountId,
    ...channelAttributes(request, ctx),
    currency: quote.currency,
    catalogVersion: quote.catalogVersion,
    priceBookVersion: quote.priceBookVersion,
    orderDate: ctx.now,
    updatedAt: ctx.now,
    createdBy: ctx.actor.principalId,
    items,
    tasks: [],
    falloutHistory: [],
    repairs: [],
  };
  assertFulfillable(order.items.length, billingHandoffParts(order));
  return { order, events: [orderCreated(order)] };
};
