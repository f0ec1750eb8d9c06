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

/**
 * Which part of a handoff in several parts this is. Billing holds the order's commitment complete
 * once it has acknowledged every part; each part is a task of its own (own correlation id, so a
 * retry or a query is per part) and the order completes only when every part is acknowledged.
 */
export type HandoffPart = { number: number; of: number };

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
  /** Present when the handoff is sent in several parts (an order of more than `itemsPerPart` items). */
  part?: HandoffPart;
};

/**
 * How much of the commitment one handoff call carries. With its billing commitment an item is
 * about 670 bytes, so a part of 100 items is ≈ 67 KB: a part fits a workflow state (256 KB), a
 * downstream request and its record, and the page of the order that stores the task.
 */
export const billingHandoffBounds = { itemsPerPart: 100 } as const;

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

/**
 * The handoff as the calls that send it: one for an order of up to `itemsPerPart` items (no
 * `part`, as always), else parts of `itemsPerPart` items in order item order, numbered from 1.
 */
export const billingHandoffParts = (order: ProductOrder): BillingHandoff[] => {
  const whole = billingHandoffOf(order);
  const size = billingHandoffBounds.itemsPerPart;
  if (whole.items.length <= size) return [whole];
  const of = Math.ceil(whole.items.length / size);
  return Array.from({ length: of }, (_, i) => ({
    ...whole,
    items: whole.items.slice(i * size, (i + 1) * size),
    part: { number: i + 1, of },
  }));
};

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
