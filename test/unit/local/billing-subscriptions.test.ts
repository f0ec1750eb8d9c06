import { describe, expect, it } from 'vitest';
import { applyCommitment, type Subscription } from '#local/billing-subscriptions';

const handoff = {
  orderId: 'po-1',
  accountId: 'acct-1',
  billingAccountId: 'ba-1',
  at: '2026-12-01T00:00:00Z',
};
const item = (action: string, amount: number) => ({
  currency: 'USD',
  commitment: { action, productId: 'prd-1-1', recurring: { amount } },
});

describe('the billing simulator subscriptions', () => {
  it('follow each commitment of a product: subscribe, change, suspend, resume, terminate', () => {
    const steps: [string, number, Subscription['status'], number][] = [
      ['subscribe', 9000, 'active', 9000],
      ['change', 12000, 'active', 12000],
      ['suspend', 0, 'suspended', 0],
      ['resume', 12000, 'active', 12000],
      ['terminate', 0, 'terminated', 0],
    ];
    let sub: Subscription | undefined;
    for (const [action, amount, status, recurring] of steps) {
      sub = applyCommitment(sub, item(action, amount), handoff);
      expect(sub).toMatchObject({
        productId: 'prd-1-1',
        status,
        recurring,
        currency: 'USD',
        lastOrderId: 'po-1',
      });
    }
  });

  it('ignore an item without a commitment naming its product, and a change of nothing', () => {
    expect(applyCommitment(undefined, { currency: 'USD' }, handoff)).toBeUndefined();
    expect(applyCommitment(undefined, item('change', 5), handoff)).toBeUndefined();
  });
});
