import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadOrder, saveOrder } from '#adapters/order-repository';
import { loadProducts } from '#adapters/product-repository';
import {
  completeWithInstalledBase,
  installChunk,
  installChunkOf,
} from '#commands/inventory/complete-with-installed-base';
import { mutateOrder } from '#commands/order-step';
import { productIdOf } from '#domain/inventory/product';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import {
  completeOrder,
  nextStep,
  recordTaskCompleted,
  recordTaskDispatched,
  startFulfillment,
} from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import { acceptedQuote, ctx, orderRequest } from '../unit/oms/fixtures.ts';

const now = () => new Date().toISOString();
const person = () => ({ ...ctx(now()), correlationId: randomUUID() });

/** An order of `n` items with every task done (billing included), stored as the workflow stores it. */
const allTasksDone = async (n: number): Promise<ProductOrder> => {
  const base = acceptedQuote().lines;
  const lines = Array.from({ length: n }, (_, i) => ({
    ...base[i % base.length]!,
    quoteItemId: `ql-${i + 1}`,
    customerReference: `site-${Math.floor(i / base.length)}`,
  }));
  const quote = { ...acceptedQuote({ lines }), validUntil: new Date(Date.now() + 86_400_000).toISOString() };
  const orderId = `po-${randomUUID()}`;
  const created = convertQuoteToOrder(orderRequest(quote), quote, { ...person(), orderId });
  let order = startFulfillment(created.order, person()).order;
  for (let round = 0; round < 50; round++) {
    const step = nextStep(order, { now: now() });
    if (step.kind !== 'DISPATCH') break;
    for (const ref of step.tasks) {
      order = recordTaskDispatched(order, ref.taskId, person()).order;
      order = recordTaskCompleted(
        order,
        ref.taskId,
        { downstreamRef: `ds-${ref.taskId}`, source: 'response' },
        person(),
      ).order;
    }
  }
  expect(nextStep(order, { now: now() }).kind).toBe('COMPLETE');
  await saveOrder(order, 0, created.events, person());
  return order;
};

/** What NextStep does with an order that is ready to complete, round after round. */
const completionRound = (orderId: string) =>
  mutateOrder(orderId, randomUUID(), 'next-step', async (order, c) => {
    const chunk = await installChunkOf(order, c);
    if (chunk) return { change: chunk.change, result: 'chunk', extraItems: chunk.extraItems };
    const completed = await completeWithInstalledBase(order, c, completeOrder);
    return {
      change: completed.change,
      result: 'completed',
      ...(completed.extraItems ? { extraItems: completed.extraItems } : {}),
    };
  });

describe('completing a large order with its installed base', () => {
  it('writes the products of 120 items in bounded transactions before the one that completes the order, each product once', async () => {
    const order = await allTasksDone(120);
    const rounds: string[] = [];
    for (let i = 0; i < 20 && rounds.at(-1) !== 'completed'; i++)
      rounds.push(await completionRound(order.id));
    // 120 items: four chunks of 25, then the completion with the last 20 — no transaction over 100 actions.
    expect(rounds).toEqual(['chunk', 'chunk', 'chunk', 'chunk', 'completed']);
    expect(Math.ceil(120 / installChunk) - 1).toBe(4);
    const stored = (await loadOrder(order.id))!.aggregate;
    expect(stored.state).toBe('completed');
    expect(stored.installedItems).toBe(100);
    // One product per item, none missing, none twice.
    const ids = stored.items.map((item) => productIdOf(order.id, item.id));
    // A BatchGetItem reads at most 100 keys.
    const products = [
      ...(await loadProducts(ids.slice(0, 60))).values(),
      ...(await loadProducts(ids.slice(60))).values(),
    ];
    expect(new Set(products.map((p) => p.id)).size).toBe(120);
    expect(products.every((p) => p.status === 'active')).toBe(true);
  });

  it('a small order still completes in one transaction with its products', async () => {
    const order = await allTasksDone(3);
    expect(await completionRound(order.id)).toBe('completed');
    expect((await loadOrder(order.id))!.aggregate).toMatchObject({ state: 'completed' });
    expect((await loadOrder(order.id))!.aggregate.installedItems).toBeUndefined();
  });
});
