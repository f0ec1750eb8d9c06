import { channelRef, channelRefOf } from '#domain/access/channel-ids';
import { channelScope } from '#domain/access/visibility';
import type { Actor } from '../actor.ts';
import type { ProductOrder, ProductOrderState } from '../order/product-order.ts';

/**
 * Key design of every list: each access pattern has its own index partition, so a list reads
 * only the page it returns. Patterns whose natural partition would take every write of a kind
 * (all orders, all orders in one state, every row of a view) are write-sharded over `shardCount`
 * partitions and read by merging the shards' newest (or first) entries.
 */
export const shardCount = 8;

/** FNV-1a: stable, uniform enough over ids, no dependency. */
export const shardOf = (id: string, shards = shardCount): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
};

const two = (n: number) => String(n).padStart(2, '0');
export const shardSuffixes = Array.from({ length: shardCount }, (_, i) => two(i));

/** Partition of the write-sharded type index: every aggregate (and outbox item) of a kind. */
export const typeShardKey = (itemType: string, id: string) => `${itemType}#${two(shardOf(id))}`;
export const typeShardKeys = (itemType: string) => shardSuffixes.map((s) => `${itemType}#${s}`);

/** Sort key of list entries: creation time then id, unique and immutable. */
export const listKeyOf = (createdAt: string, id: string) => `${createdAt}#${id}`;

/** The order indexes; each attribute is the partition key of one GSI (see the topology). */
export const orderIndexKeys = (
  order: Pick<ProductOrder, 'id' | 'channelId' | 'state' | 'accountId'> & { externalId?: string },
) => ({
  orderChannel: order.channelId,
  orderChannelState: `${order.channelId}#${order.state}`,
  // Account ids and external references are the channel's own: partitioned by channel.
  orderCustomer: channelRef(order.channelId, order.accountId),
  orderStateShard: `${order.state}#${two(shardOf(order.id))}`,
  orderShard: two(shardOf(order.id)),
  // Sparse: only orders a channel gave its own reference are in the external id index.
  ...(order.externalId === undefined
    ? {}
    : { orderExternalId: channelRef(order.channelId, order.externalId) }),
});

export type OrderIndexName =
  | 'ordersByShard'
  | 'ordersByChannel'
  | 'ordersByChannelState'
  | 'ordersByCustomer'
  | 'ordersByStateShard'
  | 'ordersByExternalId';

export type OrderListFilter = {
  state?: ProductOrderState;
  channelId?: string;
  accountId?: string;
  externalId?: string;
};

export type OrderListPlan = {
  index: OrderIndexName;
  partitionAttribute: string;
  partitions: string[];
  /** Conditions on the current item the key cannot express (the customer and external id indexes). */
  where?: { state?: ProductOrderState };
};

/**
 * Which index answers a list request. A partner is confined to its own channel by the key
 * itself: a customer's or an external reference's orders are one partition of one channel
 * (`channelRefOf`), so another channel's entries are never read.
 */
export const planOrderList = (principal: Actor, filter: OrderListFilter): OrderListPlan => {
  const channelId = channelScope(principal, filter.channelId);
  const where = filter.state ? { where: { state: filter.state } } : {};
  // A channel's own reference names one order, rarely a few: the narrowest partition of all.
  if (filter.externalId)
    return {
      index: 'ordersByExternalId',
      partitionAttribute: 'orderExternalId',
      partitions: [channelRefOf(principal, filter.externalId, filter.channelId)],
      ...where,
    };
  if (filter.accountId)
    return {
      index: 'ordersByCustomer',
      partitionAttribute: 'orderCustomer',
      partitions: [channelRefOf(principal, filter.accountId, filter.channelId)],
      ...where,
    };
  if (channelId && filter.state)
    return {
      index: 'ordersByChannelState',
      partitionAttribute: 'orderChannelState',
      partitions: [`${channelId}#${filter.state}`],
    };
  if (channelId)
    return { index: 'ordersByChannel', partitionAttribute: 'orderChannel', partitions: [channelId] };
  if (filter.state)
    return {
      index: 'ordersByStateShard',
      partitionAttribute: 'orderStateShard',
      partitions: shardSuffixes.map((s) => `${filter.state}#${s}`),
    };
  return { index: 'ordersByShard', partitionAttribute: 'orderShard', partitions: shardSuffixes };
};
