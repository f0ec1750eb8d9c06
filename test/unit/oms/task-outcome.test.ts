import { describe, expect, it } from 'vitest';
import { recordTaskDispatched } from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import { recordTaskOutcome } from '#domain/order/task-outcome';
import { at, ctx, runUntilBilling, startedOrder } from './fixtures.ts';

const billingDispatched = (): { order: ProductOrder; taskId: string } => {
  const order = runUntilBilling(startedOrder());
  const billing = order.tasks.find((t) => t.downstream === 'billing' && t.state === 'PENDING')!;
  return { order: recordTaskDispatched(order, billing.id, ctx(at(6))).order, taskId: billing.id };
};

describe('the outcome of a dispatched task, recorded on the order', () => {
  it("a rejection by billing is a BILLING_REJECTED fallout, routed to billing's team", () => {
    const { order, taskId } = billingDispatched();
    const decision = recordTaskOutcome(order, taskId, { outcome: 'FALLOUT' }, ctx(at(7)));
    expect('change' in decision && decision.change.order.fallout).toMatchObject({
      reasonCode: 'BILLING_REJECTED',
      ownerTeam: 'billing-ops',
    });
  });

  it('a completion the task already has, or one for a task never dispatched, is stale and changes nothing', () => {
    const { order, taskId } = billingDispatched();
    const done = recordTaskOutcome(
      order,
      taskId,
      { outcome: 'DONE', evidence: { downstreamRef: 'b-1' } },
      ctx(),
    );
    expect('change' in done).toBe(true);
    const again = 'change' in done ? done.change.order : order;
    expect(recordTaskOutcome(again, taskId, { outcome: 'DONE' }, ctx())).toEqual({ stale: 'already done' });
    const pending = startedOrder().tasks.find((t) => t.state === 'PENDING')!;
    expect(recordTaskOutcome(startedOrder(), pending.id, { outcome: 'UNKNOWN' }, ctx())).toEqual({
      stale: 'task PENDING',
    });
  });
});
