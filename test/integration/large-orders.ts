import { randomUUID } from 'node:crypto';
import { loadOrder, saveOrder } from '#adapters/order-repository';
import { mutateOrder } from '#commands/order-step';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { startFulfillment } from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import { acceptedQuote, ctx, orderRequest } from '../unit/oms/fixtures.ts';

const now = () => new Date().toISOString();
const person = () => ({ ...ctx(now()), correlationId: randomUUID() });

/** An order of `n` items whose fulfillment has started (every task planned), stored as the workflow stores it. */
export const largeOrder = async (n: number): Promise<ProductOrder> => {
  const base = acceptedQuote().lines;
  const lines = Array.from({ length: n }, (_, i) => ({
    ...base[i % base.length]!,
    quoteItemId: `ql-${i + 1}`,
    customerReference: `site-${Math.floor(i / base.length)}`,
  }));
  const quote = { ...acceptedQuote({ lines }), validUntil: new Date(Date.now() + 86_400_000).toISOString() };
  const orderId = `po-${randomUUID()}`;
  const { order, events } = convertQuoteToOrder(orderRequest(quote), quote, { ...person(), orderId });
  await saveOrder(order, 0, events, person());
  await mutateOrder(orderId, randomUUID(), 'next-step', (o, c) => ({
    change: startFulfillment(o, c),
    result: null,
  }));
  return (await loadOrder(orderId))!.aggregate;
};
