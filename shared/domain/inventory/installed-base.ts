import { DomainError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';
import { actionRules } from '#domain/inventory/change-action';
import {
  addMonths,
  contractTermOf,
  type InstalledProduct,
  type ProductChange,
  productIdOf,
} from '#domain/inventory/product';
import {
  productAttributesChanged,
  productCreated,
  productStateChanged,
} from '#domain/inventory/product-events';
import { transition } from '#domain/inventory/product-status';
import { committedLineOf } from '#domain/order/committed-line';
import type { ProductOrder, ProductOrderItem } from '#domain/order/product-order';

/** A product write of the completing step: a new product, or a change of one this order holds. */
export type ProductWrite = { product: InstalledProduct; isNew: boolean };

export type InstalledBaseChange = { writes: ProductWrite[]; events: DomainEvent[] };

const evidenceOf = (order: ProductOrder, item: ProductOrderItem) =>
  order.tasks
    .filter((t) => t.orderItemId === item.id && t.compensationOf === undefined && t.evidence?.downstreamRef)
    .map((t) => ({ taskId: t.id, downstreamRef: t.evidence!.downstreamRef }));

const lineageOf = (order: ProductOrder, item: ProductOrderItem) => ({
  quoteId: order.quoteId,
  quoteRevision: order.quoteAcceptance.snapshotHash,
  quoteItemId: item.quoteItemId,
  orderId: order.id,
  orderItemId: item.id,
  evidence: evidenceOf(order, item),
});

const installed = (order: ProductOrder, item: ProductOrderItem, now: string): ProductWrite => {
  const line = committedLineOf(item);
  const term = contractTermOf(line.options);
  const lineage = lineageOf(order, item);
  const product: InstalledProduct = {
    id: productIdOf(order.id, item.id),
    version: 1,
    channelId: order.channelId,
    accountId: order.accountId,
    billingAccountId: order.billingAccountId,
    offeringId: line.offeringId,
    ...(line.productFamily ? { productFamily: line.productFamily } : {}),
    // Created and activated by the same completing step: provisioning and billing are both done.
    status: transition(productIdOf(order.id, item.id), 'created', 'active'),
    quantity: line.quantity,
    characteristics: { ...line.options },
    currency: order.currency,
    price: line.price,
    ...(term !== undefined ? { contractTermMonths: term, contractEndDate: addMonths(now, term) } : {}),
    startDate: now,
    activationDate: now,
    billingStartDate: now,
    lineage,
    changes: [{ ...lineage, action: 'add', at: now, status: 'active' }],
    updatedAt: now,
  };
  return { product, isNew: true };
};

const changed = (
  order: ProductOrder,
  item: ProductOrderItem,
  current: InstalledProduct,
  now: string,
): { write: ProductWrite; events: DomainEvent[] } => {
  const change = item.change!;
  if (current.pendingOrderId !== order.id) {
    throw new DomainError(
      'INVALID_STATE_TRANSITION',
      `Product ${current.id} is not held by order ${order.id}`,
      {
        productId: current.id,
        pendingOrderId: current.pendingOrderId,
      },
    );
  }
  const target = actionRules[change.action].to;
  // A modify keeps the status; every other action is a transition of the status machine.
  const status = target === current.status ? target : transition(current.id, current.status, target);
  const record: ProductChange = { ...lineageOf(order, item), action: change.action, at: now, status };
  const { pendingOrderId: _released, ...rest } = current;
  let product: InstalledProduct = { ...rest, status, changes: [...current.changes, record], updatedAt: now };
  const events: DomainEvent[] = [];
  if (change.action === 'modify') {
    const line = committedLineOf(item);
    const term = contractTermOf(line.options);
    product = {
      ...product,
      characteristics: { ...line.options },
      quantity: line.quantity,
      price: line.price,
      ...(term !== undefined ? { contractTermMonths: term, contractEndDate: addMonths(now, term) } : {}),
    };
    events.push(productAttributesChanged(product, ['characteristics', 'price']));
  } else {
    if (change.action === 'delete') product = { ...product, terminationDate: now };
    events.push(productStateChanged(product, current.status));
  }
  return { write: { product, isNew: false }, events };
};

/**
 * What completing `order` does to the installed base: each `add` item installs a product, each
 * change item applies its action to the product it holds. Pure; the caller writes the products in
 * the order's completing transaction, so inventory never lags the order.
 */
export const installedBaseChange = (
  order: ProductOrder,
  current: ReadonlyMap<string, InstalledProduct>,
  now: string,
): InstalledBaseChange => {
  const writes: ProductWrite[] = [];
  const events: DomainEvent[] = [];
  for (const item of order.items) {
    if (!item.change) {
      const write = installed(order, item, now);
      writes.push(write);
      events.push(productCreated(write.product));
      continue;
    }
    const product = current.get(item.change.productId);
    if (!product) {
      throw new DomainError('NOT_FOUND', `Product ${item.change.productId} not found`, {
        productId: item.change.productId,
      });
    }
    const result = changed(order, item, product, now);
    writes.push(result.write);
    events.push(...result.events);
  }
  return { writes, events };
};

/** The installed products a completing order changes (to load before deciding). */
export const productIdsChangedBy = (order: ProductOrder): string[] =>
  order.items.flatMap((item) => (item.change ? [item.change.productId] : []));

/**
 * What ending a change order without completing it (cancelled) does to the installed base: each
 * product it holds is released unchanged, so it can be changed again.
 */
export const releasedProducts = (
  order: ProductOrder,
  current: ReadonlyMap<string, InstalledProduct>,
  now: string,
): InstalledBaseChange => {
  const writes: ProductWrite[] = [];
  for (const id of productIdsChangedBy(order)) {
    const product = current.get(id);
    if (product?.pendingOrderId !== order.id) continue;
    const { pendingOrderId: _released, ...rest } = product;
    writes.push({ product: { ...rest, updatedAt: now }, isNew: false });
  }
  return { writes, events: [] };
};
