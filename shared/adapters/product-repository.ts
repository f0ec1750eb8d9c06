import { type ExtraItem, loadAggregate, loadAggregates, type Stored } from '#adapters/aggregate-store';
import { aggregatePage } from '#adapters/key-pages';
import { listKeyOf, shardSuffixes, typeShardKey } from '#domain/access/list-keys';
import { canSee, channelScope } from '#domain/access/visibility';
import type { Actor } from '#domain/actor';
import { DomainError } from '#domain/errors';
import type { InstalledProduct } from '#domain/inventory/product';
import type { ProductStatus } from '#domain/inventory/product-status';
import { env } from '#plumbing/env';
import { pack, packedName, unpacked } from './packed-data.ts';

/**
 * A product record as the aggregates table holds it: the aggregate envelope (so it loads like any
 * aggregate), the list keys and the attributes a product list narrows by.
 */
const productRecord = (product: InstalledProduct): Record<string, unknown> => ({
  pk: `PRODUCT#${product.id}`,
  sk: 'A',
  itemType: 'product',
  typeShard: typeShardKey('product', product.id),
  listKey: listKeyOf(product.startDate, product.id),
  createdAt: product.startDate,
  updatedAt: product.updatedAt,
  productChannel: product.channelId,
  channelId: product.channelId,
  accountId: product.accountId,
  status: product.status,
  offeringId: product.offeringId,
  ...(product.pendingOrderId ? { pendingOrderId: product.pendingOrderId } : {}),
  version: product.version,
  [packedName('data')]: pack(product),
});

/**
 * The product as one item of another aggregate's transaction: new products must not exist yet;
 * a change writes over the version it was decided on, so a racing change of the same product fails.
 */
export const productWrite = (product: InstalledProduct, isNew: boolean): ExtraItem =>
  isNew
    ? { item: productRecord(product), mustNotExist: true }
    : {
        item: productRecord({ ...product, version: product.version + 1 }),
        expect: { attribute: 'version', value: product.version },
      };

const withVersion = (stored: Stored<InstalledProduct>): InstalledProduct => ({
  ...stored.aggregate,
  version: stored.version,
});

/** DynamoDB's BatchGetItem takes at most 100 keys. */
const BATCH_GET_KEYS = 100;

export const loadProducts = async (ids: readonly string[]): Promise<Map<string, InstalledProduct>> => {
  const batches = Array.from({ length: Math.ceil(ids.length / BATCH_GET_KEYS) }, (_, i) =>
    ids.slice(i * BATCH_GET_KEYS, (i + 1) * BATCH_GET_KEYS),
  );
  const reads = (
    await Promise.all(
      batches.map((batch) => loadAggregates(batch.map((id) => ({ kind: 'PRODUCT' as const, id })))),
    )
  ).flat();
  const found = new Map<string, InstalledProduct>();
  for (const read of reads) {
    const stored = read<InstalledProduct>();
    if (stored) found.set(stored.aggregate.id, withVersion(stored));
  }
  return found;
};

/** Another channel's product is indistinguishable from an absent one. */
export const loadProductFor = async (principal: Actor, productId: string): Promise<InstalledProduct> => {
  const stored = await loadAggregate<InstalledProduct>('PRODUCT', productId);
  if (!stored || !canSee(principal, stored.aggregate.channelId)) {
    throw new DomainError('NOT_FOUND', `Product ${productId} not found`, { productId });
  }
  return withVersion(stored);
};

export type ProductFilter = {
  channelId?: string;
  accountId?: string;
  status?: ProductStatus;
  offeringId?: string;
  limit: number;
  offset: number;
  after?: string;
};

/**
 * Newest first. A channel's products are one index partition narrowed by account, status and
 * offering (the index carries them); staff without a channel read the write-sharded type index.
 */
export const listProducts = async (
  principal: Actor,
  filter: ProductFilter,
): Promise<{ products: InstalledProduct[]; next?: string }> => {
  const channelId = channelScope(principal, filter.channelId);
  const where = {
    ...(filter.accountId ? { accountId: filter.accountId } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.offeringId ? { offeringId: filter.offeringId } : {}),
  };
  const page = await aggregatePage({
    table: env.table('aggregates'),
    ...(channelId
      ? { index: 'productsByChannel', partitionAttribute: 'productChannel', partitions: [channelId] }
      : {
          index: 'byTypeShard',
          partitionAttribute: 'typeShard',
          partitions: shardSuffixes.map((s) => `product#${s}`),
        }),
    limit: filter.limit,
    offset: filter.offset,
    ...(filter.after ? { after: filter.after } : {}),
    ...(channelId && Object.keys(where).length > 0 ? { where } : {}),
  });
  const products = page.items
    .map((item) => ({ ...unpacked<InstalledProduct>(item), version: item.version as number }))
    .filter(
      (p) =>
        canSee(principal, p.channelId) &&
        (!filter.accountId || p.accountId === filter.accountId) &&
        (!filter.status || p.status === filter.status) &&
        (!filter.offeringId || p.offeringId === filter.offeringId),
    );
  return { products, ...(page.next ? { next: page.next } : {}) };
};
