import { randomUUID } from 'node:crypto';
import { loadOrder, saveOrder } from '#adapters/order-repository';
import { mutateOrder } from '#commands/order-step';
import type { Actor } from '#domain/actor';
import type { AcceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { startFulfillment } from '#domain/order/fulfillment';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';
import { acceptedQuote, ctx, orderRequest, partnerA } from '../unit/oms/fixtures.ts';

/** Orders in DynamoDB Local as the commands and the workflow steps find them. */
export const now = () => new Date().toISOString();
export const person = (actor: Actor = partnerA) => ({ ...ctx(now(), actor), correlationId: randomUUID() });
export const validUntil = () => new Date(Date.now() + 86_400_000).toISOString();

/** A workflow step on the order, as the state machine's Lambda steps write it. */
export const step = (
  orderId: string,
  change: (order: ProductOrder, c: ReturnType<typeof ctx>) => OrderCommandResult,
) =>
  mutateOrder(orderId, randomUUID(), 'test-workflow', (order, c) => ({
    change: change(order, c),
    result: null,
  }));

/** An order whose fulfillment has started: every task planned, none dispatched yet. */
export const inFlightOrder = async (
  quote: AcceptedQuoteSnapshot = { ...acceptedQuote(), validUntil: validUntil() },
): Promise<string> => {
  const orderId = `po-${randomUUID()}`;
  const { order, events } = convertQuoteToOrder(orderRequest(quote), quote, { ...person(), orderId });
  await saveOrder(order, 0, events, person());
  await step(orderId, startFulfillment);
  return orderId;
};

export const stored = async (orderId: string) => (await loadOrder(orderId))!;
