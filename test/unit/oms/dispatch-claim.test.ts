import { describe, expect, it } from 'vitest';
import { claimDispatch } from '#domain/order/dispatch-claim';
import type { ProductOrder } from '#domain/order/product-order';
import { MAX_DISPATCH_ATTEMPTS } from '#domain/order/retry-budget';
import { ctx, startedOrder } from './fixtures.ts';

const withTask = (order: ProductOrder, taskId: string, change: object): ProductOrder => ({
  ...order,
  tasks: order.tasks.map((t) => (t.id === taskId ? { ...t, ...change } : t)),
});

describe('claiming a task for dispatch', () => {
  const order = startedOrder();
  const task = order.tasks.find((t) => t.state === 'PENDING')!;

  it('records the dispatch of a PENDING task before anything is sent', () => {
    const claim = claimDispatch(order, task.id, ctx());
    expect(
      'send' in claim && claim.send && claim.change.order.tasks.find((t) => t.id === task.id)?.state,
    ).toBe('IN_PROGRESS');
  });

  it('stands aside when another run got there first or the order is not being fulfilled', () => {
    expect(claimDispatch(withTask(order, task.id, { state: 'IN_PROGRESS' }), task.id, ctx())).toEqual({
      send: false,
      reason: 'task IN_PROGRESS',
    });
    expect(claimDispatch({ ...order, state: 'completed' }, task.id, ctx())).toEqual({
      send: false,
      reason: 'order completed',
    });
  });

  it('refuses a task that has spent its dispatch budget', () => {
    const spent = withTask(order, task.id, { attempts: MAX_DISPATCH_ATTEMPTS });
    expect(claimDispatch(spent, task.id, ctx())).toEqual({ budgetExhausted: true });
  });
});
