import type { ProductOrder } from '#domain/order/product-order';

/**
 * Items whose installed products one transaction writes: each item costs its product and at most
 * two product events, so 20 items stay at 60 actions, beside the order's own header, pages and
 * events, under DynamoDB's 100 actions per transaction.
 */
export const INSTALLED_ITEMS_PER_WRITE = 20;

/** The items (`from` to `to`, in order) whose products the next write of the installed base covers. */
export type InstalledBaseSlice = { from: number; to: number; last: boolean };

/**
 * The next slice of an ending order's installed base. The last slice is written with the order's
 * ending (completed or cancelled); each earlier one with the order's progress marker only, in one
 * version-checked transaction, so a product is never written twice and none is skipped.
 */
export const nextInstalledBaseSlice = (order: ProductOrder): InstalledBaseSlice => {
  const from = Math.min(order.installedBaseWritten ?? 0, order.items.length);
  const to = Math.min(from + INSTALLED_ITEMS_PER_WRITE, order.items.length);
  return { from, to, last: to === order.items.length };
};
