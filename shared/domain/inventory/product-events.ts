import type { DomainEvent } from '#domain/events';
import type { InstalledProduct } from '#domain/inventory/product';

const DOMAIN = 'productInventory';

/** What every product event carries: enough to route (channel) and to filter (status, offering). */
const productHeader = (product: InstalledProduct) => ({
  id: product.id,
  status: product.status,
  channelId: product.channelId,
  accountId: product.accountId,
  offeringId: product.offeringId,
  orderId: product.lineage.orderId,
  orderItemId: product.lineage.orderItemId,
  at: product.updatedAt,
});

export const productCreated = (product: InstalledProduct): DomainEvent => ({
  eventType: 'ProductCreateEvent',
  domain: DOMAIN,
  resource: { ...productHeader(product), quoteId: product.lineage.quoteId },
});

export const productStateChanged = (product: InstalledProduct, previousStatus: string): DomainEvent => ({
  eventType: 'ProductStateChangeEvent',
  domain: DOMAIN,
  resource: { ...productHeader(product), previousStatus },
});

export const productAttributesChanged = (
  product: InstalledProduct,
  changedAttributes: string[],
): DomainEvent => ({
  eventType: 'ProductAttributeValueChangeEvent',
  domain: DOMAIN,
  resource: { ...productHeader(product), changedAttributes },
});
