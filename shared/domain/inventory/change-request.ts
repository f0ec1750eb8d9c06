import { canSee } from '#domain/access/visibility';
import type { Actor } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { actionRules, type ChangeAction } from '#domain/inventory/change-action';
import type { CommittedPrice } from '#domain/inventory/price';
import type { InstalledProduct } from '#domain/inventory/product';
import type { ProductStatus } from '#domain/inventory/product-status';

/** A quote line's reference to the installed product it changes, as the product was when quoted. */
export type ChangeRequest = {
  action: ChangeAction;
  productId: string;
  installed: {
    status: ProductStatus;
    options: Record<string, string | number>;
    price: CommittedPrice;
    contractTermMonths?: number;
    contractEndDate?: string;
  };
};

/** What a client sends for a change line: the product, the action, and (modify) the options it changes. */
export type ChangeLineInput = {
  action: ChangeAction;
  productId: string;
  options?: Record<string, string | number>;
  discountPercent?: number;
  customerReference?: string;
};

/** The line a change resolves to: the installed product's offering and configuration, changed. */
export type ResolvedChangeLine = {
  offeringId: string;
  quantity: number;
  options: Record<string, string | number>;
  discountPercent: number;
  customerReference?: string;
  change: ChangeRequest;
};

const notFound = (productId: string) =>
  new DomainError('PRODUCT_NOT_FOUND', `Product ${productId} not found`, { productId }, 404);

/**
 * Checks a change line against the installed product and resolves it. Another channel's or another
 * account's product is refused exactly as an absent one (no oracle).
 */
export const resolveChangeLine = (
  input: ChangeLineInput,
  product: InstalledProduct | undefined,
  who: { actor: Pick<Actor, 'role' | 'channelId'>; accountId: string },
): ResolvedChangeLine => {
  if (!product || !canSee(who.actor, product.channelId) || product.accountId !== who.accountId) {
    throw notFound(input.productId);
  }
  if (product.status === 'terminated') {
    throw new DomainError('PRODUCT_TERMINATED', `Product ${product.id} is terminated`, {
      productId: product.id,
      terminationDate: product.terminationDate,
    });
  }
  if (product.pendingOrderId) {
    throw new DomainError(
      'PRODUCT_CHANGE_IN_FLIGHT',
      `Product ${product.id} already has a change in flight`,
      {
        productId: product.id,
        productOrderId: product.pendingOrderId,
      },
    );
  }
  const rule = actionRules[input.action];
  if (!rule.from.includes(product.status)) {
    throw new DomainError(
      'ACTION_NOT_APPLICABLE',
      `Cannot ${input.action} a product that is ${product.status}`,
      {
        productId: product.id,
        action: input.action,
        status: product.status,
        appliesTo: rule.from,
      },
    );
  }
  const options =
    input.action === 'modify'
      ? { ...product.characteristics, ...(input.options ?? {}) }
      : { ...product.characteristics };
  return {
    offeringId: product.offeringId,
    quantity: product.quantity,
    options,
    discountPercent:
      input.action === 'modify' && input.discountPercent !== undefined
        ? input.discountPercent
        : product.price.discountPercent,
    ...(input.customerReference ? { customerReference: input.customerReference } : {}),
    change: {
      action: input.action,
      productId: product.id,
      installed: {
        status: product.status,
        options: { ...product.characteristics },
        price: { ...product.price },
        ...(product.contractTermMonths !== undefined
          ? { contractTermMonths: product.contractTermMonths }
          : {}),
        ...(product.contractEndDate !== undefined ? { contractEndDate: product.contractEndDate } : {}),
      },
    },
  };
};

/** One change per product per quote: two lines on one product would race each other. */
export const assertOneChangePerProduct = (productIds: readonly string[]): void => {
  const seen = new Set<string>();
  for (const id of productIds) {
    if (seen.has(id)) {
      throw new DomainError('ACTION_NOT_APPLICABLE', `Product ${id} is changed by more than one line`, {
        productId: id,
      });
    }
    seen.add(id);
  }
};
