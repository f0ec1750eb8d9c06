import type { TaskPayload } from '#domain/order/fulfillment-task';
import type { ProductOrder } from '#domain/order/product-order';

/** One order item as billing receives it: the accepted commitment, in minor units. */
export type BillingHandoffItem = {
  orderItemId: string;
  quoteItemId: string;
  offeringId: string;
  quantity: number;
  currency: string;
  listOneTime: number;
  listRecurring: number;
  discountPercent: number;
  discountOneTime: number;
  discountRecurring: number;
  netOneTime: number;
  netRecurring: number;
};

/** What the billing handoff task sends: the order's accepted commercial commitment. */
export type BillingHandoff = {
  orderId: string;
  accountId: string;
  billingAccountId: string;
  quoteId: string;
  acceptedSnapshotHash: string;
  catalogVersion: string;
  priceBookVersion: string;
  currency: string;
  items: BillingHandoffItem[];
};

/** Billing gets the accepted commercial commitment, never a current catalog price. */
export const billingHandoffOf = (order: ProductOrder): BillingHandoff => ({
  orderId: order.id,
  accountId: order.accountId,
  billingAccountId: order.billingAccountId,
  quoteId: order.quoteId,
  acceptedSnapshotHash: order.quoteAcceptance.snapshotHash,
  catalogVersion: order.catalogVersion,
  priceBookVersion: order.priceBookVersion,
  currency: order.currency,
  items: order.items.map((item) => ({
    orderItemId: item.id,
    quoteItemId: item.quoteItemId,
    offeringId: item.offeringId,
    quantity: item.quantity,
    currency: order.currency,
    listOneTime: item.price.listOneTime,
    listRecurring: item.price.listRecurring,
    discountPercent: item.price.discountPercent,
    discountOneTime: item.price.listOneTime - item.price.netOneTime,
    discountRecurring: item.price.listRecurring - item.price.netRecurring,
    netOneTime: item.price.netOneTime,
    netRecurring: item.price.netRecurring,
  })),
});

/** The payload of a planned billing handoff task (written by `billingHandoffOf`). */
export const isBillingHandoff = (payload: TaskPayload): payload is TaskPayload & BillingHandoff =>
  typeof payload.acceptedSnapshotHash === 'string' && Array.isArray(payload.items);
