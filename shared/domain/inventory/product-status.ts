import { DomainError } from '#domain/errors';

/** TMF637 product statuses this service keeps. `terminated` is final. */
export const productStatuses = ['created', 'active', 'suspended', 'terminated'] as const;
export type ProductStatus = (typeof productStatuses)[number];

const transitions: Record<ProductStatus, readonly ProductStatus[]> = {
  created: ['active', 'terminated'],
  active: ['suspended', 'terminated'],
  suspended: ['active', 'terminated'],
  terminated: [],
};

export const canTransition = (from: ProductStatus, to: ProductStatus): boolean =>
  transitions[from].includes(to);

/** The status after `to`, or INVALID_STATE_TRANSITION naming both. */
export const transition = (productId: string, from: ProductStatus, to: ProductStatus): ProductStatus => {
  if (!canTransition(from, to)) {
    throw new DomainError(
      'INVALID_STATE_TRANSITION',
      `Product ${productId} cannot go from ${from} to ${to}`,
      {
        productId,
        from,
        to,
      },
    );
  }
  return to;
};

export const isProductStatus = (value: unknown): value is ProductStatus =>
  productStatuses.includes(value as ProductStatus);
