import type { ChangeRequest } from '#domain/inventory/change-request';

/** What a change costs relative to the installed product (minor units; negative = cheaper). */
export type PriceDelta = { oneTime: number; recurring: number };

/**
 * A committed line (and the order item and billing handoff item it becomes) that changes an
 * installed product: the product as quoted, and what the change costs relative to it.
 */
export type LineChange = ChangeRequest & {
  /** Target minus installed (minor units). */
  delta: PriceDelta;
  /** One-time charge of a `delete` before the contract term ends (minor units). */
  earlyTerminationCharge: number;
};

export const copyLineChange = (change: LineChange): LineChange => ({
  action: change.action,
  productId: change.productId,
  installed: {
    ...change.installed,
    options: { ...change.installed.options },
    price: { ...change.installed.price },
  },
  delta: { ...change.delta },
  earlyTerminationCharge: change.earlyTerminationCharge,
});
