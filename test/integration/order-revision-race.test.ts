import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { loadOrder, saveOrder } from '#adapters/order-repository';
import { changeOrder } from '#commands/order-command';
import { mutateOrder } from '#commands/order-step';
import type { AcceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { amendOrder } from '#domain/order/amend-order';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { claimDispatch } from '#domain/order/dispatch-claim';
import { recordTaskDispatched, startFulfillment } from '#domain/order/fulfillment';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';
import { acceptedQuote, ctx, orderRequest, partnerA } from '../unit/oms/fixtures.ts';

/** Workflow writes that land between the revision's read of the order and its write. */
const racing = vi.hoisted(() => [] as (() => Promise<unknown>)[]);

vi.mock('#adapters/order-repository', async (importOriginal) => {
  const real = await importOriginal<typeof import('#adapters/order-repository')>();
  return {
    ...real,
    loadOrderFor: async (...args: Parameters<typeof real.loadOrderFor>) => {
      const stored = await real.loadOrderFor(...args);
      await racing.shift()?.();
      return stored;
    },
  };
});

const now = () => new Date().toISOString();
const person = () => ({ ...ctx(now(), partnerA), correlationId: randomUUID() });
const validUntil = () => new Date(Date.now() + 86_400_000).toISOString();
const price = { listOneTime: 0, listRecurring: 100, discountPercent: 0, netOneTime: 0, netRecurring: 100 };

/** Item 1 a fiber, item 2 an SD-WAN: both start at once, the SD-WAN's first task is its commitment. */
const original: AcceptedQuoteSnapshot = {
  ...acceptedQuote(),
  validUntil: validUntil(),
  lines: [
    { quoteItemId: 'ql-1', offeringId: 'off-fiber-1g', quantity: 1, options: { term: 24 }, price },
    { quoteItemId: 'ql-2', offeringId: 'off-sdwan', quantity: 1, options: { sites: 2 }, price },
  ],
};
/** The revision: keeps the fiber, drops the SD-WAN. */
const revised: AcceptedQuoteSnapshot = {
  ...original,
  quoteId: 'q-2',
  acceptance: { snapshotHash: 'sha256:q-2', acceptedAt: now() },
  lines: [{ ...original.lines[0]!, quoteItemId: 'q2-1' }],
};
const revision = {
  revision: 1,
  productOrderItem: [{ id: 'item-1', action: 'add', quoteItem: { id: 'q2-1' } }],
};

const step = (
  orderId: string,
  change: (order: ProductOrder, c: ReturnType<typeof ctx>) => OrderCommandResult,
) =>
  mutateOrder(orderId, randomUUID(), 'test-workflow', (order, c) => ({
    change: change(order, c),
    result: null,
  }));

const startedOrder = async (): Promise<string> => {
  const orderId = `po-${randomUUID()}`;
  const { order, events } = convertQuoteToOrder(orderRequest(original), original, { ...person(), orderId });
  await saveOrder(order, 0, events, person());
  await step(orderId, startFulfillment);
  return orderId;
};

const revise = (orderId: string) =>
  changeOrder({
    orderId,
    ctx: person(),
    decide: (current) => {
      const amended = amendOrder(current, revision, revised, person());
      return { order: amended.order, events: amended.events, result: amended.revision };
    },
  });

const taskOf = (order: ProductOrder, id: string) => order.tasks.find((t) => t.id === id)!;

describe('a revision racing the fulfillment workflow: the order version decides', () => {
  it('a dispatch claimed between the revision read and write wins: the revision decides again and is refused', async () => {
    const orderId = await startedOrder();
    racing.push(() => step(orderId, (o, c) => recordTaskDispatched(o, 'item-2-SDWAN_ACTIVATION', c)));

    await expect(revise(orderId)).rejects.toMatchObject({
      code: 'POINT_OF_NO_RETURN',
      details: { items: ['item-2'] },
    });
    expect(racing).toHaveLength(0);
    const after = (await loadOrder(orderId))!.aggregate;
    expect(after.revision).toBeUndefined();
    expect(after.items.map((i) => i.id)).toEqual(['item-1', 'item-2']);
    expect(taskOf(after, 'item-2-SDWAN_ACTIVATION').state).toBe('IN_PROGRESS');
  });

  it('a revision written first withdraws the work: the claim that follows finds it cancelled and sends nothing', async () => {
    const orderId = await startedOrder();
    const { order } = await revise(orderId);
    expect(taskOf(order, 'item-2-SDWAN_ACTIVATION').state).toBe('CANCELLED');

    const claimed = await mutateOrder(orderId, randomUUID(), 'dispatch', (current, c) => {
      const decision = claimDispatch(current, 'item-2-SDWAN_ACTIVATION', c);
      return 'send' in decision && decision.send
        ? { change: decision.change, result: 'sent' }
        : { unchanged: 'skipped' };
    });
    expect(claimed).toBe('skipped');
    const after = (await loadOrder(orderId))!.aggregate;
    expect(taskOf(after, 'item-2-SDWAN_ACTIVATION')).toMatchObject({ state: 'CANCELLED', attempts: 0 });
    expect(after.revision).toBe(1);
  });
});
