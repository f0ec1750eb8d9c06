import { actionRules } from '#domain/inventory/change-action';
import type { ProductStatus } from '#domain/inventory/product-status';
import type { OrderItemAction } from '#domain/order/product-order';
import type { OrderFacts, OrderItemFacts } from './checks.ts';
import type { FindingDraft, RecordRef } from './findings.ts';

/** An installed product as the inventory holds it. */
export type ProductFacts = {
  id: string;
  version: number;
  status: ProductStatus;
  /** The recurring charge of its current configuration (minor units). */
  netRecurring: number;
  currency: string;
  updatedAt: string;
  pendingOrderId?: string;
  /** Every completed order item that changed it, oldest first. */
  changes: { orderId: string; orderItemId: string; action: string; status: string; at: string }[];
};

/** A subscription as billing holds it, keyed by the product instance it bills. */
export type SubscriptionFacts = {
  productId: string;
  status: 'active' | 'suspended' | 'terminated';
  /** The monthly charge billing runs now (minor units). */
  recurring: number;
  currency: string;
  updatedAt?: string;
  lastOrderId?: string;
};

/** Billing's word on one product: its subscription, none, or no answer. */
export type BillingAnswer =
  | { status: 'FOUND'; subscription: SubscriptionFacts }
  | { status: 'NOT_FOUND' }
  | { status: 'UNAVAILABLE'; error: string };

/** The status an order item leaves its product in. */
export const statusAfter = (action: OrderItemAction): ProductStatus =>
  action === 'add' ? 'active' : actionRules[action].to;

const productRecord = (p: ProductFacts): RecordRef => ({
  system: 'inventory',
  type: 'Product',
  id: p.id,
  version: p.version,
  state: p.status,
  netRecurring: p.netRecurring,
  currency: p.currency,
  ...(p.pendingOrderId ? { pendingOrderId: p.pendingOrderId } : {}),
  lastChange: p.changes.at(-1) ?? null,
});

const subscriptionRecord = (s: SubscriptionFacts): RecordRef => ({
  system: 'billing',
  type: 'BillingSubscription',
  id: s.productId,
  state: s.status,
  recurring: s.recurring,
  currency: s.currency,
  ...(s.lastOrderId ? { lastOrderId: s.lastOrderId } : {}),
  ...(s.updatedAt ? { updatedAt: s.updatedAt } : {}),
});

/**
 * Fulfilled order item → product inventory (000 §16.1 "fulfilled asset ↔ product inventory"):
 * a completed order's item must be recorded on its product (the change record of this item),
 * and while it is the product's latest change, the product is in the status and at the price it
 * left. A later change governs the product's state, so only its record is required then.
 */
export const fulfilledItemAgainstInventory = (
  order: OrderFacts,
  item: OrderItemFacts,
  product: ProductFacts | undefined,
): FindingDraft | undefined => {
  if (order.state !== 'completed') return undefined;
  const expected = statusAfter(item.action);
  const source: RecordRef = {
    system: 'oms',
    type: 'ProductOrderItem',
    id: `${order.id}/${item.id}`,
    orderId: order.id,
    orderItemId: item.id,
    version: order.version,
    state: 'completed',
    action: item.action,
    productId: item.productId,
    expectedStatus: expected,
    netRecurring: item.netRecurring,
  };
  const repairDecision = (what: string) => ({
    mode: 'MANUAL' as const,
    action: `Confirm the item with provisioning (its task evidence), then ${what}`,
    reason:
      'The installed base is the record of what the customer owns: corrected through a domain command, never patched by reconciliation',
  });
  if (!product) {
    return {
      check: 'fulfilled-item-in-inventory',
      classification: 'FULFILLED_ITEM_NOT_IN_INVENTORY',
      severity: 'HIGH',
      sourceRecord: source,
      counterpartRecord: null,
      difference: `order ${order.id} item ${item.id} (${item.action}) completed, product ${item.productId} is not in the inventory`,
      repairDecision: repairDecision(
        'record the product through an ops inventory repair citing the order item (proposed, not automatic)',
      ),
    };
  }
  const index = product.changes.findIndex((c) => c.orderId === order.id && c.orderItemId === item.id);
  const change = product.changes[index];
  if (!change || change.action !== item.action) {
    return {
      check: 'fulfilled-item-in-inventory',
      classification: 'FULFILLED_ITEM_NOT_IN_INVENTORY',
      severity: 'HIGH',
      sourceRecord: source,
      counterpartRecord: productRecord(product),
      difference: change
        ? `product ${product.id} records ${change.action} for order ${order.id} item ${item.id}, the item is ${item.action}`
        : `product ${product.id} has no change for order ${order.id} item ${item.id} (${item.action})`,
      repairDecision: repairDecision(
        `apply the item's ${item.action} to the product through an ops inventory repair (proposed, not automatic)`,
      ),
    };
  }
  const differences: string[] = [];
  if (product.pendingOrderId === order.id)
    differences.push(`the product is still held by the completed order ${order.id}`);
  if (index === product.changes.length - 1) {
    if (product.status !== expected)
      differences.push(`status ${product.status}, the item leaves it ${expected}`);
    if (expected === 'active' && item.action !== 'resume' && product.netRecurring !== item.netRecurring)
      differences.push(`recurring ${product.netRecurring}, the item committed ${item.netRecurring}`);
  }
  if (differences.length === 0) return undefined;
  return {
    check: 'fulfilled-item-in-inventory',
    classification: 'INVENTORY_STATE_MISMATCH',
    severity: 'HIGH',
    sourceRecord: source,
    counterpartRecord: productRecord(product),
    difference: `product ${product.id}: ${differences.join('; ')}`,
    repairDecision: repairDecision(
      'correct the product through a change order or an ops inventory repair (proposed, not automatic)',
    ),
  };
};

/**
 * Billing hears of a change before the product does (the handoff precedes completion): while the
 * order that billing applied last still holds the product, their difference is that change in flight.
 */
const billingAheadBy = (subscription?: SubscriptionFacts, product?: ProductFacts): boolean =>
  product?.pendingOrderId !== undefined && subscription?.lastOrderId === product.pendingOrderId;

/**
 * Active product → billing subscription (000 §16.1 "asset inventory ↔ billing subscription"):
 * every active product is billed by an active subscription at the product's recurring price.
 */
export const activeProductAgainstBilling = (
  product: ProductFacts,
  answer: BillingAnswer,
): FindingDraft | undefined => {
  if (product.status !== 'active' || answer.status === 'UNAVAILABLE') return undefined;
  const subscription = answer.status === 'FOUND' ? answer.subscription : undefined;
  if (billingAheadBy(subscription, product)) return undefined;
  const repairDecision = {
    mode: 'MANUAL' as const,
    action:
      'Billing ops: compare the subscription with the product and its last order item, then correct billing (or the product) with evidence',
    reason:
      'Starting, stopping or re-pricing a charge is a commercial commitment: never automatic from reconciliation',
  };
  if (subscription?.status !== 'active') {
    return {
      check: 'product-billed',
      classification: 'ACTIVE_PRODUCT_NOT_BILLED',
      severity: 'HIGH',
      sourceRecord: productRecord(product),
      counterpartRecord: subscription ? subscriptionRecord(subscription) : null,
      difference: subscription
        ? `product ${product.id} is active, its billing subscription is ${subscription.status}`
        : `product ${product.id} is active, billing has no subscription for it`,
      repairDecision,
    };
  }
  if (subscription.recurring === product.netRecurring && subscription.currency === product.currency)
    return undefined;
  return {
    check: 'product-billed',
    classification: 'BILLING_PRICE_MISMATCH',
    severity: 'HIGH',
    sourceRecord: productRecord(product),
    counterpartRecord: subscriptionRecord(subscription),
    difference: `billing charges ${subscription.recurring} ${subscription.currency} a month, the product's accepted price is ${product.netRecurring} ${product.currency}`,
    repairDecision,
  };
};

/**
 * Billed subscription → active product (the reverse pair): billing runs an active subscription
 * only for a product that is active in the inventory.
 */
export const billedSubscriptionAgainstProduct = (
  subscription: SubscriptionFacts,
  product: ProductFacts | undefined,
): FindingDraft | undefined => {
  if (subscription.status !== 'active' || product?.status === 'active') return undefined;
  if (billingAheadBy(subscription, product)) return undefined;
  return {
    check: 'billed-subscription-has-product',
    classification: 'BILLED_WITHOUT_ACTIVE_PRODUCT',
    severity: 'HIGH',
    sourceRecord: subscriptionRecord(subscription),
    counterpartRecord: product ? productRecord(product) : null,
    difference: product
      ? `billing charges an active subscription for product ${product.id}, which is ${product.status}`
      : `billing charges an active subscription for product ${subscription.productId}, which is not in the inventory`,
    repairDecision: {
      mode: 'MANUAL',
      action:
        'Billing ops: confirm with the customer account and the product history, then stop or suspend the subscription in billing with evidence',
      reason:
        'Stopping a charge changes what the customer pays: a human decision, never automatic from reconciliation',
    },
  };
};
