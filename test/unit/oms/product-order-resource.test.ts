import { describe, expect, it } from 'vitest';
import { requestCancellation } from '#domain/order/cancellation';
import { recordFallout, recordTaskDispatched } from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import { toCancelProductOrderResource, toProductOrderResource } from '#domain/order/product-order-resource';
import { validateTmf622 } from '#test/tmf622-schema';
import { at, ctx, newOrder, runHappyPath, runUntilBilling, startedOrder } from './fixtures.ts';

const BASE = 'http://localhost:3000';
const FIRST = 'item-1-ACCESS_PROVISION';

const held = () =>
  recordFallout(
    recordTaskDispatched(startedOrder(), FIRST, ctx(at(2))).order,
    FIRST,
    { reasonCode: 'DOWNSTREAM_REJECTED' },
    ctx(at(3)),
  ).order;

const pendingCancellation = () =>
  requestCancellation(
    runUntilBilling(startedOrder()),
    { cancelId: 'cx-1', cancellationReason: 'moved' },
    ctx(at(9)),
  );

const states: [string, () => ProductOrder][] = [
  ['acknowledged', () => newOrder()],
  ['inProgress', () => startedOrder()],
  ['held', held],
  ['completed', () => runHappyPath(startedOrder())],
  ['pendingCancellation', () => pendingCancellation().order],
  [
    'cancelled',
    () => requestCancellation(newOrder(), { cancelId: 'cx-1', cancellationReason: 'x' }, ctx()).order,
  ],
];

describe('TMF622 ProductOrder representation', () => {
  it.each(states)('validates against the TMF622 schema when %s', (state, build) => {
    const resource = toProductOrderResource(build(), BASE, 'internal');
    expect(resource.state).toBe(state);
    const result = validateTmf622('ProductOrder', resource);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('carries refs, item states and prices from the accepted quote', () => {
    const resource = toProductOrderResource(held(), BASE, 'internal') as {
      href: string;
      quote: { id: string }[];
      billingAccount: { id: string };
      productOrderItem: {
        id: string;
        state: string;
        quoteItem: { id: string; quoteId: string };
        itemPrice: { priceType: string; price: { dutyFreeAmount: { value: number; unit: string } } }[];
      }[];
    };
    expect(resource.href).toBe(`${BASE}/tmf-api/productOrderingManagement/v4/productOrder/ord-1`);
    expect(resource.quote).toEqual([{ id: 'q-1', '@referredType': 'Quote' }]);
    expect(resource.billingAccount.id).toBe('ba-1');
    expect(resource.productOrderItem.map((i) => [i.id, i.state])).toEqual([
      ['item-1', 'held'],
      ['item-2', 'inProgress'],
      ['item-3', 'inProgress'],
    ]);
    expect(resource.productOrderItem[0]?.quoteItem).toMatchObject({ id: 'ql-1', quoteId: 'q-1' });
    expect(resource.productOrderItem[0]?.itemPrice.map((p) => [p.priceType, p.price.dutyFreeAmount])).toEqual(
      [
        ['recurring', { unit: 'USD', value: 810 }],
        ['oneTime', { unit: 'USD', value: 1080 }],
      ],
    );
  });

  it('reports completed items and the completion date on a completed order', () => {
    const resource = toProductOrderResource(runHappyPath(startedOrder(), at(7)), BASE, 'internal') as {
      completionDate: string;
      productOrderItem: { state: string }[];
    };
    expect(resource.productOrderItem.every((i) => i.state === 'completed')).toBe(true);
    expect(resource.completionDate).toBe(at(7));
  });

  it('detects a non-conforming resource (the validator can fail)', () => {
    const resource = toProductOrderResource(newOrder(), BASE, 'internal');
    expect(validateTmf622('ProductOrder', { ...resource, state: 'HELD' }).valid).toBe(false);
    expect(validateTmf622('ProductOrder', { ...resource, productOrderItem: [] }).valid).toBe(false);
    expect(validateTmf622('Error', { code: 'POINT_OF_NO_RETURN', reason: 'x', status: '422' }).valid).toBe(
      true,
    );
    expect(validateTmf622('Error', { reason: 'x' }).valid).toBe(false);
  });
});

describe('TMF622 CancelProductOrder representation', () => {
  it.each([
    ['inProgress', () => pendingCancellation().cancel],
    [
      'done',
      () => requestCancellation(newOrder(), { cancelId: 'cx-1', cancellationReason: 'x' }, ctx()).cancel,
    ],
  ] as const)('validates when %s', (state, build) => {
    const resource = toCancelProductOrderResource(build(), BASE, 'internal');
    expect(resource).toMatchObject({
      id: 'cx-1',
      state,
      productOrder: { id: 'ord-1' },
      '@type': 'CancelProductOrder',
    });
    expect(validateTmf622('CancelProductOrder', resource)).toEqual({ valid: true, errors: [] });
  });

  it('fails validation without the order reference', () => {
    const { productOrder: _, ...resource } = toCancelProductOrderResource(
      pendingCancellation().cancel,
      BASE,
      'internal',
    );
    expect(validateTmf622('CancelProductOrder', resource).valid).toBe(false);
  });
});
