import { describe, expect, it } from 'vitest';
import { billingAcknowledgement, billingAcknowledgements } from '#domain/order/billing-acknowledgement';
import type { ProductOrder } from '#domain/order/product-order';

const order = (billing: { state: string; dispatchedAt?: string } | undefined, other = 'PENDING') =>
  ({
    tasks: [
      { id: 'PROVISION-1', type: 'PROVISION', state: other },
      ...(billing ? [{ id: 'BILLING_HANDOFF', type: 'BILLING_HANDOFF', ...billing }] : []),
    ],
  }) as unknown as ProductOrder;

describe('billing acknowledgement (the billing SLO’s events)', () => {
  it('measures from the handoff’s dispatch to the change that records it DONE', () => {
    const sent = { state: 'IN_PROGRESS', dispatchedAt: '2026-12-06T10:00:00.000Z' };
    expect(
      billingAcknowledgement(order(sent), order({ ...sent, state: 'DONE' }), '2026-12-06T10:20:00.000Z'),
    ).toEqual({ latencyMs: 20 * 60_000 });
  });

  it('counts an acknowledgement once: not again when the task was already DONE, not for other tasks', () => {
    const done = { state: 'DONE', dispatchedAt: '2026-12-06T10:00:00.000Z' };
    expect(
      billingAcknowledgement(order(done), order(done, 'DONE'), '2026-12-06T11:00:00.000Z'),
    ).toBeUndefined();
    expect(billingAcknowledgement(order(undefined), order(undefined, 'DONE'), 'x')).toBeUndefined();
    expect(
      billingAcknowledgement(order({ state: 'PENDING' }), order({ state: 'IN_PROGRESS' }), 'x'),
    ).toBeUndefined();
  });

  it('counts every part a dispatch round recorded in one change, each from its own dispatch', () => {
    const part = (id: string, state: string, dispatchedAt: string) => ({
      id,
      type: 'BILLING_HANDOFF',
      state,
      dispatchedAt,
    });
    const of = (...tasks: object[]) => ({ tasks }) as unknown as ProductOrder;
    const before = of(
      part('BILLING_HANDOFF', 'IN_PROGRESS', '2026-12-06T10:00:00.000Z'),
      part('BILLING_HANDOFF-2', 'IN_PROGRESS', '2026-12-06T10:05:00.000Z'),
      part('BILLING_HANDOFF-3', 'DONE', '2026-12-06T09:00:00.000Z'),
    );
    const after = of(
      part('BILLING_HANDOFF', 'DONE', '2026-12-06T10:00:00.000Z'),
      part('BILLING_HANDOFF-2', 'DONE', '2026-12-06T10:05:00.000Z'),
      part('BILLING_HANDOFF-3', 'DONE', '2026-12-06T09:00:00.000Z'),
    );
    expect(billingAcknowledgements(before, after, '2026-12-06T10:10:00.000Z')).toEqual([
      { latencyMs: 10 * 60_000 },
      { latencyMs: 5 * 60_000 },
    ]);
  });
});
