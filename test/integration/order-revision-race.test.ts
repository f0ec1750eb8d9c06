import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { loadOrder } from '#adapters/order-repository';
import { changeOrder } from '#commands/order-command';
import { mutateOrder } from '#commands/order-step';
import type { AcceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { amendOrder } from '#domain/order/amend-order';
import { claimDispatch } from '#domain/order/dispatch-claim';
import { recordTaskDispatched } from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import { acceptedQuote } from '../unit/oms/fixtures.ts';
import { inFlightOrder, now, person, step, validUntil } from './order-in-flight.ts';
import { racing } from './order-race.ts';

vi.mock('#adapters/order-repository', async (importOriginal) =>
  (await import('./order-race.ts')).racingRepository(await importOriginal()),
);

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

const startedOrder = () => inFlightOrder(original);

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
