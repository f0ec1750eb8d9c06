import { typeShardKeys } from '#domain/access/list-keys';
import { env } from '#plumbing/env';
import { itemsOf, readPage } from './key-pages.ts';
import { isPagedOrder, loadOrder } from './order-repository.ts';
import { unpacked } from './packed-data.ts';
import { withPages } from './quote-loader.ts';

export type TypeItem = { data: Record<string, unknown>; version: number; item: Record<string, unknown> };

/**
 * One page of one shard of the write-sharded type index (`byTypeShard`: every aggregate of a
 * kind, and the outbox, over `shardCount` partitions), oldest first, then the items themselves.
 * `after` is the list key of the last item of the previous page: a resumable checkpoint.
 */
export const typePage = async (
  itemType: string,
  shard: number,
  limit: number,
  after?: string,
): Promise<{ items: TypeItem[]; next?: string }> => {
  const table = env.table('aggregates');
  const page = await readPage({
    table,
    index: 'byTypeShard',
    partitionAttribute: 'typeShard',
    sortAttribute: 'listKey',
    partitions: [typeShardKeys(itemType)[shard]!],
    direction: 'oldestFirst',
    limit,
    ...(after ? { after } : {}),
  });
  const items = await itemsOf(table, page.entries as { pk: string; sk: string }[]);
  return { items: await Promise.all(items.map(typeItem)), ...(page.next ? { next: page.next } : {}) };
};

/** A large order's or quote's header holds no items or lines: every reader gets it with its pages. */
const typeItem = async (item: Record<string, unknown>): Promise<TypeItem> => {
  if (item.itemType === 'quote') {
    const quote = await withPages(item);
    return { data: quote.aggregate as unknown as Record<string, unknown>, version: quote.version, item };
  }
  const stored = isPagedOrder(item)
    ? await loadOrder(String(unpacked<{ id?: unknown } | undefined>(item)?.id))
    : undefined;
  return stored
    ? { data: stored.aggregate as unknown as Record<string, unknown>, version: stored.version, item }
    : {
        data: unpacked<Record<string, unknown> | undefined>(item) ?? {},
        version: item.version as number,
        item,
      };
};

/**
 * Every item of a kind, shard by shard, page by page (each query carries a Limit): for the ops
 * projection rebuild tool. Reconciliation walks the same pages as checkpointed workflow segments.
 */
export const loadAllOfType = async (itemType: string): Promise<TypeItem[]> => {
  const shards = typeShardKeys(itemType).map(async (_, shard) => {
    const out: TypeItem[] = [];
    let after: string | undefined;
    do {
      const page = await typePage(itemType, shard, 100, after);
      out.push(...page.items);
      after = page.next;
    } while (after);
    return out;
  });
  return (await Promise.all(shards)).flat();
};
