import { type BillingCommitment, billingCommitmentOf } from '#domain/order/billing-commitment';
import { type CommittedLine, committedLineOf } from '#domain/order/committed-line';
import type { TaskPayload } from '#domain/order/fulfillment-task';
import type { ProductOrder } from '#domain/order/product-order';

/** One order item as billing receives it: its committed line, unchanged, and the discount amounts. */
export type BillingHandoffItem = CommittedLine & {
  orderItemId: string;
  currency: string;
  /** Minor units: list minus net. */
  discountOneTime: number;
  discountRecurring: number;
  /** Absent on handoffs planned before commitments were sent. */
  commitment?: BillingCommitment;
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
    ...committedLineOf(item),
    orderItemId: item.id,
    currency: order.currency,
    discountOneTime: item.price.listOneTime - item.price.netOneTime,
    discountRecurring: item.price.listRecurring - item.price.netRecurring,
    commitment: billingCommitmentOf(order, item),
  })),
});

type FlatPricedItem = Pick<CommittedLine, 'quoteItemId' | 'offeringId' | 'quantity'> & CommittedLine['price'];

/**
 * The committed line a handoff item sent billing. Handoffs planned before items held their
 * committed line sent the prices flat and nothing else of the line: those fields are read as sent,
 * the rest is the order item's (billing never had it to differ).
 */
export const sentLineOf = (sent: BillingHandoffItem, ordered: CommittedLine): CommittedLine => {
  if (sent.price !== undefined) return committedLineOf(sent);
  const flat = sent as unknown as FlatPricedItem;
  return {
    ...committedLineOf(ordered),
    quoteItemId: flat.quoteItemId,
    offeringId: flat.offeringId,
    quantity: flat.quantity,
    price: {
      netOneTime: flat.netOneTime,
      netRecurring: flat.netRecurring,
      listOneTime: flat.listOneTime,
      listRecurring: flat.listRecurring,
      discountPercent: flat.discountPercent,
    },
  };
};

/** The payload of a planned billing handoff task (written by `billingHandoffOf`). */
export const isBillingHandoff = (payload: TaskPayload): payload is TaskPayload & BillingHandoff =>
  typeof payload.acceptedSnapshotHash === 'string' && Array.isArray(payload.items);
