import { describe, expect, it } from 'vitest';
import { changeTermsOf } from '#domain/inventory/change-pricing';
import { resolveChangeLine } from '#domain/inventory/change-request';
import { installedBaseChange, releasedProducts } from '#domain/inventory/installed-base';
import type { InstalledProduct } from '#domain/inventory/product';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { errorCode } from '../../support/domain-error.ts';
import {
  acceptedQuote,
  at,
  ctx,
  orderRequest,
  partnerA,
  runHappyPath,
  startedOrder,
} from '../oms/fixtures.ts';

const completedAdd = () => runHappyPath(startedOrder());

const installedFiber = (): InstalledProduct => {
  const { writes } = installedBaseChange(completedAdd(), new Map(), at(10));
  return writes[0]!.product;
};

const changeOrderOf = (product: InstalledProduct, action: 'modify' | 'suspend' | 'resume' | 'delete') => {
  const resolved = resolveChangeLine({ action, productId: product.id, options: { term: 36 } }, product, {
    actor: partnerA,
    accountId: product.accountId,
  });
  const line = {
    quoteItemId: 'ql-1',
    offeringId: resolved.offeringId,
    quantity: resolved.quantity,
    options: resolved.options,
    price: product.price,
    change: changeTermsOf(resolved.change, product.price, at(20)),
  };
  const quote = acceptedQuote({ quoteId: 'q-2', lines: [line] });
  const request = orderRequest(quote);
  const items = request.productOrderItem!.map((i) => ({ ...i, action, product: { id: product.id } }));
  return convertQuoteToOrder({ ...request, productOrderItem: items }, quote, {
    ...ctx(at(20)),
    orderId: 'ord-2',
  }).order;
};

describe('installed base written by the completing order', () => {
  it('installs one active product per added item, with contract, billing account and lineage', () => {
    const order = completedAdd();
    const { writes, events } = installedBaseChange(order, new Map(), at(10));
    expect(writes.map((w) => w.isNew)).toEqual([true, true, true]);
    const fiber = writes[0]!.product;
    expect(fiber).toMatchObject({
      status: 'active',
      channelId: 'partner-a',
      accountId: 'acc-1',
      billingAccountId: 'ba-1',
      offeringId: 'off-fiber-1g',
      characteristics: { term: 36, install: 'express' },
      contractTermMonths: 36,
      activationDate: at(10),
      lineage: { quoteId: 'q-1', quoteRevision: 'sha256:abc', quoteItemId: 'ql-1', orderId: order.id },
    });
    expect(fiber.lineage.evidence.map((e) => e.taskId)).toEqual([
      'item-1-ACCESS_PROVISION',
      'item-1-SERVICE_ACTIVATION',
    ]);
    expect(events.map((e) => e.eventType)).toEqual([
      'ProductCreateEvent',
      'ProductCreateEvent',
      'ProductCreateEvent',
    ]);
  });

  it('a completed change applies its action to the product its order holds and releases it', () => {
    const product = installedFiber();
    const order = changeOrderOf(product, 'suspend');
    const held = { ...product, pendingOrderId: order.id };
    const { writes, events } = installedBaseChange(order, new Map([[product.id, held]]), at(30));
    expect(writes[0]).toMatchObject({ isNew: false, product: { id: product.id, status: 'suspended' } });
    expect(writes[0]!.product.pendingOrderId).toBeUndefined();
    expect(writes[0]!.product.changes.map((c) => c.action)).toEqual(['add', 'suspend']);
    expect(events[0]).toMatchObject({
      eventType: 'ProductStateChangeEvent',
      resource: { previousStatus: 'active', status: 'suspended' },
    });
  });

  it('a cancelled change order releases the product it holds, unchanged, and no other', () => {
    const product = installedFiber();
    const order = changeOrderOf(product, 'modify');
    const held = { ...product, pendingOrderId: order.id };
    const { writes, events } = releasedProducts(order, new Map([[product.id, held]]), at(30));
    expect(writes).toHaveLength(1);
    expect(writes[0]!.product).toEqual({ ...product, updatedAt: at(30) });
    expect(events).toEqual([]);
    const heldByOther = { ...product, pendingOrderId: 'po-other' };
    expect(releasedProducts(order, new Map([[product.id, heldByOther]]), at(30)).writes).toEqual([]);
  });

  it('refuses to apply a change to a product its order does not hold', () => {
    const product = installedFiber();
    const order = changeOrderOf(product, 'delete');
    expect(errorCode(() => installedBaseChange(order, new Map([[product.id, product]]), at(30)))).toBe(
      'INVALID_STATE_TRANSITION',
    );
  });

  it('refuses a change line with a clear code: unknown or foreign product, terminated, in flight, not applicable', () => {
    const product = installedFiber();
    const who = { actor: partnerA, accountId: product.accountId };
    const line = (action: 'modify' | 'resume' | 'delete') => ({ action, productId: product.id });
    expect(errorCode(() => resolveChangeLine(line('modify'), undefined, who))).toBe('PRODUCT_NOT_FOUND');
    const otherChannel = { ...who, actor: { ...partnerA, channelId: 'partner-b' } };
    expect(errorCode(() => resolveChangeLine(line('modify'), product, otherChannel))).toBe(
      'PRODUCT_NOT_FOUND',
    );
    expect(errorCode(() => resolveChangeLine(line('modify'), product, { ...who, accountId: 'x' }))).toBe(
      'PRODUCT_NOT_FOUND',
    );
    const terminated = { ...product, status: 'terminated' as const };
    expect(errorCode(() => resolveChangeLine(line('delete'), terminated, who))).toBe('PRODUCT_TERMINATED');
    const inFlight = { ...product, pendingOrderId: 'po-x' };
    expect(errorCode(() => resolveChangeLine(line('modify'), inFlight, who))).toBe(
      'PRODUCT_CHANGE_IN_FLIGHT',
    );
    expect(errorCode(() => resolveChangeLine(line('resume'), product, who))).toBe('ACTION_NOT_APPLICABLE');
  });
});
