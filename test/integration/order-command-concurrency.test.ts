import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { loadOrder, saveOrder } from '#adapters/order-repository';
import { cancelOrder } from '#commands/order/cancel-order';
import { patchOrder } from '#commands/order/patch-order';
import { repairOrderTask } from '#commands/order/repair-order';
import { mutateOrder } from '#commands/order-step';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import {
  recordFallout,
  recordTaskCompleted,
  recordTaskDispatched,
  startFulfillment,
} from '#domain/order/fulfillment';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';
import { acceptedQuote, ctx, ops, orderRequest, partnerA } from '../unit/oms/fixtures.ts';

/** Workflow writes that land between a command's read of the order and its write. */
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
const person = (actor = partnerA) => ({ ...ctx(now(), actor), correlationId: randomUUID() });

/** A workflow step on the order, as the state machine's Lambda steps write it. */
const step = (
  orderId: string,
  change: (order: ProductOrder, c: ReturnType<typeof ctx>) => OrderCommandResult,
) =>
  mutateOrder(orderId, randomUUID(), 'test-workflow', (order, c) => ({
    change: change(order, c),
    result: null,
  }));

const taskIn = (order: ProductOrder, state: string) => order.tasks.find((t) => t.state === state)!;
const dispatchNext = (order: ProductOrder, c: ReturnType<typeof ctx>) =>
  recordTaskDispatched(order, taskIn(order, 'PENDING').id, c);

/** An order whose fulfillment has started: every task planned, none dispatched yet. */
const inFlightOrder = async (): Promise<string> => {
  const orderId = `po-${randomUUID()}`;
  const quote = { ...acceptedQuote(), validUntil: new Date(Date.now() + 86_400_000).toISOString() };
  const { order, events } = convertQuoteToOrder(orderRequest(quote), quote, { ...person(), orderId });
  await saveOrder(order, 0, events, person());
  await step(orderId, startFulfillment);
  return orderId;
};

const stored = async (orderId: string) => (await loadOrder(orderId))!;

describe('order commands while the fulfillment workflow writes the same order', () => {
  it('cancel without If-Match decides again on the order the workflow wrote: no 409, no lost step', async () => {
    const orderId = await inFlightOrder();
    racing.push(() => step(orderId, dispatchNext));

    const { order, cancel } = await cancelOrder(orderId, { cancellationReason: 'changed mind' }, person());

    expect(racing).toHaveLength(0);
    expect(cancel.state).toBeDefined();
    const after = await stored(orderId);
    expect(after.version).toBe(order.version);
    expect(after.aggregate.cancellation?.id).toBe(cancel.id);
    // The dispatch the workflow wrote in between survives: the cancellation compensates it.
    expect(after.aggregate.tasks.some((t) => t.dispatchedAt !== undefined)).toBe(true);
  });

  it('patch without If-Match decides again; with the If-Match the client read it answers 412', async () => {
    const orderId = await inFlightOrder();
    racing.push(() => step(orderId, dispatchNext));
    const patched = await patchOrder(orderId, { description: 'second floor' }, person(), undefined);
    expect(patched.description).toBe('second floor');
    expect((await stored(orderId)).aggregate.tasks.filter((t) => t.state === 'IN_PROGRESS')).toHaveLength(1);

    const read = await stored(orderId);
    racing.push(() => step(orderId, dispatchNext));
    const refused = await patchOrder(
      orderId,
      { description: 'third floor' },
      person(),
      `"${read.version}"`,
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
    expect((await stored(orderId)).aggregate.description).toBe('second floor');
  });

  it('repair of a fallen-out task while another task completes: no 409, both changes kept', async () => {
    const orderId = await inFlightOrder();
    await step(orderId, dispatchNext);
    await step(orderId, dispatchNext);
    const [failing, running] = (await stored(orderId)).aggregate.tasks.filter(
      (t) => t.state === 'IN_PROGRESS',
    );
    await step(orderId, (o, c) => recordFallout(o, failing!.id, { reasonCode: 'DOWNSTREAM_REJECTED' }, c));
    racing.push(() =>
      step(orderId, (o, c) =>
        recordTaskCompleted(o, running!.id, { downstreamRef: 'ref-1', source: 'response' }, c),
      ),
    );

    const { repair } = await repairOrderTask(
      orderId,
      failing!.id,
      { action: 'RETRY', reasonCode: 'transient' },
      person(ops),
    );

    expect(repair.after.taskState).toBe('PENDING');
    const after = (await stored(orderId)).aggregate;
    expect(after.tasks.find((t) => t.id === running!.id)?.state).toBe('DONE');
    expect(after.tasks.find((t) => t.id === failing!.id)?.state).toBe('PENDING');
    expect(after.state).toBe('inProgress');
  });
});
