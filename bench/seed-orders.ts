/**
 * Orders written straight into DynamoDB Local through the repository code (the aggregate, its
 * conversion record and its creation event in one transaction), without the HTTP path: the
 * local stack's stream poller projects the events into the read models as it would in AWS.
 */
import type { AcceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { orderCreated } from '#domain/order/order-events';
import { acceptedQuote, orderRequest } from '../test/unit/oms/fixtures.ts';
import { runConcurrently } from './stats.ts';

const { conversionRecord, saveOrder } = await import('#adapters/order-repository');

export const channels = ['partner-a', 'partner-b', 'sales-portal'] as const;
/** Orders per customer account: a customer's list stays the same size whatever the total. */
export const ordersPerAccount = 10;

export const orderIdOf = (i: number) => `po-bench-${String(i).padStart(6, '0')}`;

export const seededOrder = (i: number, now: string) => {
  const quote: AcceptedQuoteSnapshot = acceptedQuote({
    quoteId: `q-bench-${i}`,
    channelId: channels[i % channels.length]!,
    accountId: `acct-bench-${Math.floor(i / ordersPerAccount)}`,
  });
  return convertQuoteToOrder(orderRequest(quote), quote, {
    now,
    actor: { principalId: 'bench', role: 'sales', channelId: quote.channelId },
    correlationId: `bench-${i}`,
    orderId: orderIdOf(i),
  }).order;
};

/** Seeds orders [from, to); `ageMs` back-dates them (reconciliation thresholds). */
export const seedOrders = (from: number, to: number, opts: { ageMs?: number } = {}) =>
  runConcurrently(to - from, 16, async (k) => {
    const now = new Date(Date.now() - (opts.ageMs ?? 0)).toISOString();
    const order = seededOrder(from + k, now);
    const ctx = { correlationId: `bench-${from + k}`, now };
    await saveOrder(order, 0, [orderCreated(order)], ctx, [conversionRecord(order, ctx)]);
  });

/**
 * Seeded orders must not start 10,000 fulfillment workflows: the bench stops the stack's outbox
 * publisher (events are still projected into the read models, never published to the bus).
 */
export const stopPublishing = async (stack: {
  components: { pollers: { name: string; stop: () => Promise<void> }[] };
}) => {
  for (const p of stack.components.pollers) if (p.name.includes('outbox-publisher')) await p.stop();
};
