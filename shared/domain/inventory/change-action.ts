import type { ProductStatus } from '#domain/inventory/product-status';

/** What a change order does to an installed product (TMF622 `productOrderItem.action`). */
export const changeActions = ['modify', 'delete', 'suspend', 'resume'] as const;
export type ChangeAction = (typeof changeActions)[number];

export const isChangeAction = (value: unknown): value is ChangeAction =>
  changeActions.includes(value as ChangeAction);

/** The statuses each action applies to, and the status it leaves the product in. */
export const actionRules: Record<ChangeAction, { from: readonly ProductStatus[]; to: ProductStatus }> = {
  modify: { from: ['active'], to: 'active' },
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
  delete: { from: ['active', 'suspended'], to: 'terminated' },
};
