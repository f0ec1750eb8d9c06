import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#plumbing/clients';

type Item = Record<string, unknown>;

export type PageRequest = {
  table: string;
  /** Absent: the table's own key (pk + sk). */
  index?: string;
  partitionAttribute: string;
  sortAttribute: string;
  /** One partition, or the shards of a write-sharded pattern (merged in sort order). */
  partitions: string[];
  direction: 'newestFirst' | 'oldestFirst';
  limit: number;
  offset?: number;
  /** Sort key of the last entry of the previous page (exclusive). */
  after?: string;
  range?: { from?: string; to?: string };
  /** Equality conditions the key cannot express; pages are filled up to the limit. */
  where?: Record<string, string>;
};

export type Page = { entries: Item[]; next?: string };

const queryPartition = async (req: PageRequest, partition: string, need: number) => {
  const desc = req.direction === 'newestFirst';
  let lo = req.range?.from;
  let hi = req.range?.to;
  // The previous page's last entry bounds this page (inclusive here, dropped below).
  if (req.after !== undefined) {
    if (desc) hi = hi === undefined || req.after < hi ? req.after : hi;
    else lo = lo === undefined || req.after > lo ? req.after : lo;
  }
  // An empty range is an empty page: DynamoDB refuses `BETWEEN` with its bounds reversed.
  if (lo !== undefined && hi !== undefined && lo > hi) return { items: [], more: false };
  const names: Record<string, string> = { '#p': req.partitionAttribute };
  if (lo !== undefined || hi !== undefined) names['#s'] = req.sortAttribute;
  const values: Record<string, unknown> = { ':p': partition };
  let condition = '#p = :p';
  if (lo !== undefined && hi !== undefined) {
    condition += ' AND #s BETWEEN :lo AND :hi';
    Object.assign(values, { ':lo': lo, ':hi': hi });
  } else if (lo !== undefined) {
    condition += ' AND #s >= :lo';
    values[':lo'] = lo;
  } else if (hi !== undefined) {
    condition += ' AND #s <= :hi';
    values[':hi'] = hi;
  }
  const where = Object.entries(req.where ?? {});
  where.forEach(([attribute, value], i) => {
    names[`#w${i}`] = attribute;
    values[`:w${i}`] = value;
  });
  const out: Item[] = [];
  let start: Item | undefined;
  let more = false;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: req.table,
        ...(req.index ? { IndexName: req.index } : {}),
        KeyConditionExpression: condition,
        ...(where.length > 0
          ? { FilterExpression: where.map((_, i) => `#w${i} = :w${i}`).join(' AND ') }
          : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: !desc,
        // +1: the bound entry of the previous page may come back first.
        Limit: need - out.length + 1,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) if (item[req.sortAttribute] !== req.after) out.push(item);
    start = res.LastEvaluatedKey;
    more = start !== undefined;
  } while (start && out.length < need);
  return { items: out.slice(0, need), more: more || out.length > need };
};

/**
 * One page of a list index: each partition is asked for at most offset + limit entries (with a
 * DynamoDB `Limit`), the shards are merged in sort order and the page is cut from the merge.
 */
export const readPage = async (req: PageRequest): Promise<Page> => {
  const need = (req.offset ?? 0) + req.limit;
  const parts = await Promise.all(req.partitions.map((p) => queryPartition(req, p, need)));
  const key = (i: Item) => String(i[req.sortAttribute]);
  const merged = parts
    .flatMap((p) => p.items)
    .sort(
      (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (req.direction === 'newestFirst' ? -1 : 1),
    );
  const entries = merged.slice(req.offset ?? 0, need);
  const more = merged.length > need || parts.some((p) => p.more);
  return { entries, ...(more && entries.length > 0 ? { next: key(entries.at(-1)!) } : {}) };
};

/** The base items of a page of keys, in the page's order (BatchGet, unprocessed keys retried). */
export const itemsOf = async (table: string, keys: { pk: unknown; sk: unknown }[]): Promise<Item[]> => {
  const found = new Map<string, Item>();
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 100).map(({ pk, sk }) => ({ pk, sk }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const res = await documentClient().send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of res.Responses?.[table] ?? []) found.set(`${item.pk}\u0000${item.sk}`, item);
      pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
      if (attempt > 8 && pending.length > 0) throw new Error(`BatchGet on ${table}: keys left unprocessed`);
    }
  }
  return keys.map(({ pk, sk }) => found.get(`${pk}\u0000${sk}`)).filter((i): i is Item => i !== undefined);
};

/** A page of an aggregate list index, then exactly the aggregate items on it (newest first by list key). */
export const aggregatePage = async (
  req: Omit<PageRequest, 'sortAttribute' | 'direction'>,
): Promise<{ items: Item[]; next?: string }> => {
  const page = await readPage({ ...req, sortAttribute: 'listKey', direction: 'newestFirst' });
  const items = await itemsOf(req.table, page.entries as { pk: string; sk: string }[]);
  return { items, ...(page.next ? { next: page.next } : {}) };
};
