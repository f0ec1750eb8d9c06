import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { productStatuses } from '#domain/inventory/product-status';
import type { OrderItemAction } from '#domain/order/product-order';
import type { OrderFacts, OrderItemFacts } from '#domain/reconciliation/checks';
import {
  activeProductAgainstBilling,
  billedSubscriptionAgainstProduct,
  fulfilledItemAgainstInventory,
  type ProductFacts,
  type SubscriptionFacts,
  statusAfter,
} from '#domain/reconciliation/installed-base-drift';

const at = '2026-12-01T10:00:00.000Z';
const actions: OrderItemAction[] = ['add', 'modify', 'suspend', 'resume', 'delete'];

const order = (state = 'completed'): OrderFacts => ({
  id: 'po-1',
  version: 9,
  state,
  quoteId: 'q-1',
  channelId: 'partner-a',
  orderDate: at,
  planned: true,
  tasks: [],
});

const item = (action: OrderItemAction, netRecurring = 9000): OrderItemFacts => ({
  id: '1',
  action,
  productId: 'prd-1-1',
  netRecurring,
});

/** The product as completing `item` of `po-1` leaves it (after an earlier add when it is a change). */
const productAfter = (i: OrderItemFacts): ProductFacts => ({
  id: i.productId,
  version: 2,
  status: statusAfter(i.action),
  netRecurring: i.netRecurring,
  currency: 'USD',
  updatedAt: at,
  changes: [
    ...(i.action === 'add'
      ? []
      : [{ orderId: 'po-0', orderItemId: '1', action: 'add', status: 'active', at }]),
    { orderId: 'po-1', orderItemId: i.id, action: i.action, status: statusAfter(i.action), at },
  ],
});

const subscription = (over: Partial<SubscriptionFacts> = {}): SubscriptionFacts => ({
  productId: 'prd-1-1',
  status: 'active',
  recurring: 9000,
  currency: 'USD',
  lastOrderId: 'po-1',
  ...over,
});

describe('fulfilled order item ↔ product inventory', () => {
  it('finds nothing when the product records the item and is in the status and at the price it left', () => {
    fc.assert(
      fc.property(fc.constantFrom(...actions), fc.nat(1_000_000), (action, price) => {
        const i = item(action, price);
        expect(fulfilledItemAgainstInventory(order(), i, productAfter(i))).toBeUndefined();
      }),
    );
  });

  it('a completed item whose product is missing is FULFILLED_ITEM_NOT_IN_INVENTORY with the item as evidence', () => {
    const finding = fulfilledItemAgainstInventory(order(), item('add'), undefined);
    expect(finding).toMatchObject({
      check: 'fulfilled-item-in-inventory',
      classification: 'FULFILLED_ITEM_NOT_IN_INVENTORY',
      sourceRecord: { type: 'ProductOrderItem', orderId: 'po-1', orderItemId: '1', action: 'add' },
      counterpartRecord: null,
      repairDecision: { mode: 'MANUAL' },
    });
  });

  it('a product without the change record of the item, or with another action, is FULFILLED_ITEM_NOT_IN_INVENTORY', () => {
    const i = item('suspend');
    const never = {
      ...productAfter(i),
      status: 'active' as const,
      changes: productAfter(i).changes.slice(0, 1),
    };
    expect(fulfilledItemAgainstInventory(order(), i, never)).toMatchObject({
      classification: 'FULFILLED_ITEM_NOT_IN_INVENTORY',
      counterpartRecord: { system: 'inventory', type: 'Product', id: 'prd-1-1', state: 'active' },
    });
    const other = productAfter(item('delete'));
    expect(fulfilledItemAgainstInventory(order(), i, other)?.difference).toMatch(
      /records delete .* the item is suspend/,
    );
  });

  it('any status other than the one the latest item leaves is INVENTORY_STATE_MISMATCH, with both records', () => {
    fc.assert(
      fc.property(fc.constantFrom(...actions), fc.constantFrom(...productStatuses), (action, status) => {
        const i = item(action);
        const finding = fulfilledItemAgainstInventory(order(), i, { ...productAfter(i), status });
        if (status === statusAfter(action)) expect(finding).toBeUndefined();
        else
          expect(finding).toMatchObject({
            classification: 'INVENTORY_STATE_MISMATCH',
            sourceRecord: { expectedStatus: statusAfter(action) },
            counterpartRecord: { state: status },
          });
      }),
    );
  });

  it('a later change governs the status: only the record of this item is required', () => {
    const i = item('suspend');
    const later = productAfter(i);
    later.changes.push({ orderId: 'po-2', orderItemId: '1', action: 'resume', status: 'active', at });
    expect(fulfilledItemAgainstInventory(order(), i, { ...later, status: 'active' })).toBeUndefined();
  });

  it('an installed or modified product at another recurring price than the item committed is a mismatch', () => {
    for (const action of ['add', 'modify'] as const) {
      const i = item(action, 9000);
      expect(
        fulfilledItemAgainstInventory(order(), i, { ...productAfter(i), netRecurring: 8000 })?.difference,
      ).toMatch(/recurring 8000, the item committed 9000/);
    }
  });

  it('a product still held by its completed order is a mismatch; an order not completed is not checked', () => {
    const i = item('modify');
    expect(
      fulfilledItemAgainstInventory(order(), i, { ...productAfter(i), pendingOrderId: 'po-1' }),
    ).toMatchObject({
      classification: 'INVENTORY_STATE_MISMATCH',
      counterpartRecord: { pendingOrderId: 'po-1' },
    });
    for (const state of ['inProgress', 'held', 'cancelled', 'acknowledged'])
      expect(fulfilledItemAgainstInventory(order(state), i, undefined)).toBeUndefined();
  });
});

describe('active product ↔ billing subscription', () => {
  const product = (over: Partial<ProductFacts> = {}): ProductFacts => ({
    ...productAfter(item('add')),
    ...over,
  });

  it('a finding exactly when an active product is not billed by an active subscription at its price', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...productStatuses),
        fc.option(fc.constantFrom('active' as const, 'suspended' as const, 'terminated' as const)),
        fc.nat(20_000),
        fc.nat(20_000),
        (status, billed, price, charged) => {
          const p = product({ status, netRecurring: price });
          const answer = billed
            ? { status: 'FOUND' as const, subscription: subscription({ status: billed, recurring: charged }) }
            : { status: 'NOT_FOUND' as const };
          const finding = activeProductAgainstBilling(p, answer);
          const expected =
            status !== 'active'
              ? undefined
              : billed !== 'active'
                ? 'ACTIVE_PRODUCT_NOT_BILLED'
                : charged !== price
                  ? 'BILLING_PRICE_MISMATCH'
                  : undefined;
          expect(finding?.classification).toBe(expected);
          if (finding) {
            expect(finding.sourceRecord).toMatchObject({
              system: 'inventory',
              id: p.id,
              netRecurring: price,
            });
            expect(finding.counterpartRecord).toEqual(
              billed ? expect.objectContaining({ system: 'billing', state: billed }) : null,
            );
            expect(finding.repairDecision.mode).toBe('MANUAL');
          }
        },
      ),
    );
  });

  it('billing that cannot answer leaves the pair unverified, not a finding', () => {
    expect(
      activeProductAgainstBilling(product(), { status: 'UNAVAILABLE', error: 'TimeoutError' }),
    ).toBeUndefined();
  });

  it('billing in another currency is a price mismatch', () => {
    expect(
      activeProductAgainstBilling(product(), {
        status: 'FOUND',
        subscription: subscription({ currency: 'EUR' }),
      })?.classification,
    ).toBe('BILLING_PRICE_MISMATCH');
  });
});

describe('a change in flight (billing hears of it before the product)', () => {
  it('is no drift while the order billing applied last still holds the product; any other order is', () => {
    const held = { ...productAfter(item('add')), pendingOrderId: 'po-2' };
    const suspended = subscription({ status: 'suspended', recurring: 0, lastOrderId: 'po-2' });
    expect(activeProductAgainstBilling(held, { status: 'FOUND', subscription: suspended })).toBeUndefined();
    expect(
      activeProductAgainstBilling(held, {
        status: 'FOUND',
        subscription: { ...suspended, lastOrderId: 'po-9' },
      })?.classification,
    ).toBe('ACTIVE_PRODUCT_NOT_BILLED');
    const resuming = { ...held, status: 'suspended' as const };
    expect(billedSubscriptionAgainstProduct(subscription({ lastOrderId: 'po-2' }), resuming)).toBeUndefined();
    expect(
      billedSubscriptionAgainstProduct(subscription({ lastOrderId: 'po-1' }), resuming)?.classification,
    ).toBe('BILLED_WITHOUT_ACTIVE_PRODUCT');
  });
});

describe('billed subscription ↔ active product (the reverse pair)', () => {
  it('an active subscription whose product is missing or not active is BILLED_WITHOUT_ACTIVE_PRODUCT', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('active' as const, 'suspended' as const, 'terminated' as const),
        fc.option(fc.constantFrom(...productStatuses)),
        (billed, status) => {
          const p = status ? { ...productAfter(item('add')), status } : undefined;
          const finding = billedSubscriptionAgainstProduct(subscription({ status: billed }), p);
          const drift = billed === 'active' && status !== 'active';
          expect(finding?.classification).toBe(drift ? 'BILLED_WITHOUT_ACTIVE_PRODUCT' : undefined);
          if (finding) {
            expect(finding.sourceRecord).toMatchObject({ system: 'billing', type: 'BillingSubscription' });
            expect(finding.counterpartRecord).toEqual(p ? expect.objectContaining({ state: status }) : null);
          }
        },
      ),
    );
  });
});
