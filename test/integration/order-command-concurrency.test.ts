import { describe, expect, it, vi } from 'vitest';
import { cancelOrder } from '#commands/order/cancel-order';
import { patchOrder } from '#commands/order/patch-order';
import { repairOrderTask } from '#commands/order/repair-order';
import { recordFallout, recordTaskCompleted, recordTaskDispatched } from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import type { ctx } from '../unit/oms/fixtures.ts';
import { ops } from '../unit/oms/fixtures.ts';
import { inFlightOrder, person, step, stored } from './order-in-flight.ts';
import { racing } from './order-race.ts';

vi.mock('#adapters/order-repository', async (importOriginal) =>
  (await import('./order-race.ts')).racingRepository(await importOriginal()),
);

const taskIn = (order: ProductOrder, state: string) => order.tasks.find((t) => t.state === state)!;
const dispatchNext = (order: ProductOrder, c: ReturnType<typeof ctx>) =>
  recordTaskDispatched(order, taskIn(order, 'PENDING').id, c);

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
