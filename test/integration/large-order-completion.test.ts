import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadOrder } from '#adapters/order-repository';
import { loadProducts } from '#adapters/product-repository';
import { mutateOrder } from '#commands/order-step';
import { productIdOf } from '#domain/inventory/product';
import { handler } from '#functions/steps/next-step';
import { largeOrder } from './large-orders.ts';
import { lambdaContext } from './stream-support.ts';

/** Every task answered DONE, as the workflow's record steps leave an order whose work is all done. */
const allTasksDone = (orderId: string) =>
  mutateOrder(orderId, randomUUID(), 'record', (order, ctx) => ({
    change: {
      order: {
        ...order,
        tasks: order.tasks.map((t) => ({
          ...t,
          state: 'DONE' as const,
          downstreamRef: `ref-${t.id}`,
          updatedAt: ctx.now,
        })),
      },
      events: [],
    },
    result: null,
    changed: true,
  }));

describe('completing an order too large for one transaction', () => {
  it('writes every installed product, slice by slice, and completes the order with the last slice', async () => {
    // 120 items: two actions each (product and its event) would be 240 in one transaction; DynamoDB takes 100.
    const order = await largeOrder(120);
    await allTasksDone(order.id);
    const outputs: string[] = [];
    for (let call = 0; call < 10; call++) {
      const output = await handler({ orderId: order.id, correlationId: randomUUID() }, lambdaContext());
      outputs.push(output.kind);
      if (output.kind === 'FINISHED') break;
    }
    // One invocation writes a bounded number of slices, then hands back to the workflow.
    expect(outputs).toEqual(['CONTINUE', 'FINISHED']);
    const done = (await loadOrder(order.id))!.aggregate;
    expect(done.state).toBe('completed');
    expect(done.installedBaseWritten).toBe(120);
    const products = await loadProducts(done.items.map((i) => productIdOf(done.id, i.id)));
    expect(products.size).toBe(120);
    expect([...products.values()].every((p) => p.status === 'active' && p.lineage.orderId === done.id)).toBe(
      true,
    );
  }, 120_000);

  it('a replayed step after completion writes nothing more', async () => {
    const order = await largeOrder(30);
    await allTasksDone(order.id);
    const first = await handler({ orderId: order.id, correlationId: randomUUID() }, lambdaContext());
    expect(first.kind).toBe('FINISHED');
    const completed = (await loadOrder(order.id))!;
    const again = await handler({ orderId: order.id, correlationId: randomUUID() }, lambdaContext());
    expect(again).toMatchObject({ kind: 'FINISHED', outcome: 'completed' });
    expect((await loadOrder(order.id))!.version).toBe(completed.version);
  }, 60_000);
});
