import type { ExtraItem } from '#adapters/aggregate-store';
import { loadProducts, productWrite } from '#adapters/product-repository';
import type { Actor } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { resolveChangeLine } from '#domain/inventory/change-request';
import type { ProductOrder } from '#domain/order/product-order';

/**
 * The installed products a change order changes, held by it in its creating transaction: checked
 * again as they are now (the quote may be days old), each written over the version read, so two
 * orders racing for one product cannot both be created. Nothing is held for a new sale.
 */
export const holdProducts = async (order: ProductOrder, actor: Actor): Promise<ExtraItem[]> => {
  const changes = order.items.flatMap((item) => (item.change ? [item.change] : []));
  if (changes.length === 0) return [];
  const products = await loadProducts(changes.map((c) => c.productId));
  return changes.map((change) => {
    const product = products.get(change.productId);
    resolveChangeLine(change, product, { actor, accountId: order.accountId });
    return productWrite({ ...product!, pendingOrderId: order.id, updatedAt: order.orderDate }, false);
  });
};

/** A racing order took the product between the read and the write. */
export const productTaken = (productId: string | undefined): DomainError =>
  new DomainError('PRODUCT_CHANGE_IN_FLIGHT', `Product ${productId ?? ''} already has a change in flight`, {
    ...(productId ? { productId } : {}),
  });
