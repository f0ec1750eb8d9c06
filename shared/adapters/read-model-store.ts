import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { channelRef } from '#domain/access/channel-ids';
import { shardOf, shardSuffixes } from '#domain/access/list-keys';
import {
  entryStream,
  readableStreams,
  type TimelineEntry,
  type TimelineStream,
} from '#domain/projections/account-timeline';
import { gaugeDelta } from '#domain/projections/gauges';
import {
  contentChecksum,
  type Freshness,
  laterFreshness,
  type SourceEvent,
} from '#domain/projections/source-event';
import { mergeTimelinePage, type TimelinePosition } from '#domain/projections/timeline-pages';
import { type RowViewName, rowViewOf, type ViewName } from '#domain/projections/views';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { gaugeUpdate } from './gauge-store.ts';
import { readPage } from './key-pages.ts';
import { packedWhenLarge, unpacked } from './packed-data.ts';

/**
 * Read-model table layout (pk, sk; GSIs `byView` on view + sortKey, `byOwner` on ownerView + sortKey,
 * `bySeller` on sellerView + sortKey):
 * - pointer per view: pk `POINTER#<view>`, sk `POINTER` {active, building?, previous?}
 * - row of a row view: pk `<view>#v<n>#<aggregateId>`, sk `ROW`; while the row is a member of the
 *   view's list (sparse indexes) `sortKey`, `view` = `<view>#v<n>#<shard>` (write-sharded: the
 *   list is read by merging the shards) and `ownerView` = `<view>#v<n>#<channelId>` (one
 *   channel's list, what a partner reads) and, for views that name a seller, `sellerView` =
 *   `<view>#v<n>#<channelId>#<seller>` (one seller's list)
 * - timeline entry: pk `account-timeline#v<n>#<channelId>:<accountId>#<source>.<visibility>` (one
 *   channel's account, `channelRef`, one stream), sk = entry key
 * Every row item has `revision` (optimistic lock) and `sourceVersion` (never decreases). A row's,
 * part's or entry's `data` is brotli-packed under its own name when the item would be over a KB
 * (packed-data.ts); smaller items, and items written before, hold it plain.
 */
export type Pointer = {
  view: ViewName;
  active: number;
  building?: number;
  previous?: number;
  switchedAt?: string;
  /** The schema version each stored version was built with (absent: schema 1). */
  schemas?: Record<string, number>;
};

export type StoredRow<R> = {
  row: R;
  revision: number;
  sourceVersion: number;
  listed: boolean;
  /** For a view with parts: the part items as stored (a row written whole before has none). */
  parts?: Record<string, unknown>;
};

const table = () => env.table('readModels');
const pointerKey = (view: ViewName) => ({ pk: `POINTER#${view}`, sk: 'POINTER' });
export const viewPartition = (view: ViewName, version: number) => `${view}#v${version}`;
export const rowKey = (view: RowViewName, version: number, id: string) => ({
  pk: `${viewPartition(view, version)}#${id}`,
  sk: 'ROW',
});
/**
 * `accountRef` is the account's real id: its channel and the channel's account id (`channelRef`);
 * each source and visibility of the timeline is a stream of its own.
 */
export const timelinePk = (version: number, accountRef: string, stream: TimelineStream) =>
  `${viewPartition('account-timeline', version)}#${accountRef}#${stream}`;

export const loadPointer = async (view: ViewName): Promise<Pointer & { exists: boolean }> => {
  const res = await documentClient().send(
    new GetCommand({ TableName: table(), Key: pointerKey(view), ConsistentRead: true }),
  );
  if (!res.Item) return { view, active: 1, exists: false };
  const { active, building, previous, switchedAt, schemas } = res.Item as Pointer;
  return { view, active, building, previous, switchedAt, ...(schemas ? { schemas } : {}), exists: true };
};

/** One seller's part of a channel's list (`bySeller`): a seller's own worklist. */
export const sellerPartition = (view: RowViewName, version: number, channelId: string, seller: string) =>
  `${viewPartition(view, version)}#${channelId}#${seller}`;

const sellerOf = (view: RowViewName, version: number, channelId: string, seller: string | undefined) =>
  seller ? { sellerView: sellerPartition(view, version, channelId, seller) } : {};

/** Replaces the pointer only if it is still what the caller read. */
export const savePointer = async (next: Pointer, expected: Pointer & { exists: boolean }): Promise<void> => {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { ...pointerKey(next.view), ...next },
      ConditionExpression: expected.exists
        ? 'active = :active AND (attribute_not_exists(building) OR building = :building)'
        : 'attribute_not_exists(pk)',
      ExpressionAttributeValues: expected.exists
        ? { ':active': expected.active, ':building': expected.building ?? -1 }
        : undefined,
    }),
  );
};

/** The versions a projection writes to: the active one and, during a rebuild, the new one. */
export const targetVersions = (p: Pointer): number[] =>
  p.building !== undefined && p.building !== p.active ? [p.active, p.building] : [p.active];

const partPrefix = 'PART#';
const rowPageItems = 500;
const partWritesAtOnce = 16;

type Item = Record<string, unknown>;

/**
 * A row from its items: the row item and, for a view with parts, the part items beside it. The
 * row is as fresh as the freshest of them: a change to a part alone leaves the row item as it was.
 */
export const rowOfItems = <R>(view: RowViewName, items: readonly Item[]): StoredRow<R> | undefined => {
  const rowItem = items.find((i) => i.sk === 'ROW');
  if (!rowItem) return undefined;
  const parts = rowViewOf(view).parts;
  let row = unpacked<R & { freshness: Freshness }>(rowItem);
  let entries: Record<string, unknown> | undefined;
  if (parts) {
    const partItems = items.filter((i) => String(i.sk).startsWith(partPrefix));
    entries = Object.fromEntries(partItems.map((i) => [String(i.sk).slice(partPrefix.length), unpacked(i)]));
    const freshness = partItems.reduce<Freshness>(
      (f, i) => laterFreshness(f, i.freshness as Freshness),
      row.freshness,
    );
    row = { ...(parts.withParts(row, entries) as R & { freshness: Freshness }), freshness };
  }
  return {
    row,
    revision: rowItem.revision as number,
    sourceVersion: Math.max(rowItem.sourceVersion as number, row.freshness?.sourceVersion ?? 0),
    listed: rowItem.sortKey !== undefined,
    ...(entries ? { parts: entries } : {}),
  };
};

/** The items of one row: its row item, or for a view with parts the row's partition (one query). */
const rowItems = async (view: RowViewName, version: number, id: string, consistent: boolean) => {
  const key = rowKey(view, version, id);
  if (!rowViewOf(view).parts) {
    const res = await documentClient().send(
      new GetCommand({ TableName: table(), Key: key, ConsistentRead: consistent }),
    );
    return res.Item ? [res.Item] : [];
  }
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': key.pk },
        ConsistentRead: consistent,
        // Every item of the partition is the row's: pages of them until the last.
        Limit: rowPageItems,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
};

export const loadRow = async <R>(
  view: RowViewName,
  version: number,
  id: string,
  consistent = true,
): Promise<StoredRow<R> | undefined> => rowOfItems<R>(view, await rowItems(view, version, id, consistent));

const lostRaceCodes = new Set(['ConditionalCheckFailed', 'TransactionConflict', 'None']);

/** A failed condition, or a transaction cancelled by one or by a concurrent gauge update. */
const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error)?.name === 'ConditionalCheckFailedException' ||
  ((error instanceof TransactionCanceledException ||
    (error as Error)?.name === 'TransactionCanceledException') &&
    ((error as TransactionCanceledException).CancellationReasons ?? []).every((r) =>
      lostRaceCodes.has(r.Code ?? 'None'),
    ));

/**
 * Writes a row only if nobody wrote it since it was read (revision) and only forward
 * (stored sourceVersion ≤ new): duplicate or concurrent deliveries cannot regress it.
 * Returns false on a lost race; the caller reads again and re-applies.
 */
export const putRow = async <R extends { freshness: { sourceVersion: number } }>(
  view: RowViewName,
  version: number,
  id: string,
  row: R,
  previous: StoredRow<R> | undefined,
): Promise<boolean> => {
  const spec = rowViewOf(view);
  const listKey = spec.listKey(row);
  const delta = spec.gauges ? gaugeDelta(previous ? spec.gauges(previous.row) : {}, spec.gauges(row)) : {};
  try {
    let data: unknown = row;
    if (spec.parts) {
      await putChangedParts(view, version, id, row, previous?.parts ?? {});
      data = spec.parts.summary(row);
      // Only parts changed: the row item stays as it was (its freshness is the parts' too).
      if (
        previous?.listed === (listKey !== undefined) &&
        Object.keys(delta).length === 0 &&
        contentChecksum({ ...(data as object), freshness: undefined }) ===
          contentChecksum({ ...spec.parts.summary(previous.row), freshness: undefined }) &&
        listKey === spec.listKey(previous.row)
      )
        return true;
    }
    const put = {
      TableName: table(),
      Item: packedWhenLarge({
        ...rowKey(view, version, id),
        ...(listKey
          ? {
              view: `${viewPartition(view, version)}#${shardSuffixes[shardOf(id)]}`,
              ownerView: `${viewPartition(view, version)}#${spec.channelOf(row)}`,
              ...sellerOf(view, version, spec.channelOf(row), spec.sellerOf?.(row)),
              sortKey: listKey,
            }
          : {}),
        itemType: 'row',
        channelId: spec.channelOf(row),
        sourceVersion: row.freshness.sourceVersion,
        revision: (previous?.revision ?? 0) + 1,
        data,
      }),
      ConditionExpression: previous
        ? 'revision = :revision AND sourceVersion <= :sourceVersion'
        : 'attribute_not_exists(pk)',
      ExpressionAttributeValues: previous
        ? { ':revision': previous.revision, ':sourceVersion': row.freshness.sourceVersion }
        : undefined,
    };
    // The gauge moves in the same transaction as the row: a lost race or a retry changes neither.
    if (Object.keys(delta).length === 0) await documentClient().send(new PutCommand(put));
    else
      await documentClient().send(
        new TransactWriteCommand({ TransactItems: [{ Put: put }, gaugeUpdate(view, version, id, delta)] }),
      );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/**
 * Writes the parts of a row that differ from those stored, each only forward (its cursor):
 * a concurrent writer never takes a part back, and one already as far is left as it is. They
 * go before the row item, which then never names a part that is not written.
 */
const putChangedParts = async <R>(
  view: RowViewName,
  version: number,
  id: string,
  row: R & { freshness: { sourceVersion: number } },
  stored: Record<string, unknown>,
) => {
  const parts = rowViewOf(view).parts!;
  // Against the parts as stored, not the row as read: a row written whole before parts existed
  // moves every task into its own item at its first write.
  const changed = Object.entries(parts.of(row)).filter(
    ([partId, entry]) =>
      !stored[partId] || contentChecksum(stored[partId] as object) !== contentChecksum(entry),
  );
  const put = async ([partId, entry]: (typeof changed)[number]) => {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: packedWhenLarge({
            pk: rowKey(view, version, id).pk,
            sk: `${partPrefix}${partId}`,
            itemType: 'rowPart',
            channelId: rowViewOf(view).channelOf(row),
            cursor: entry.cursor,
            freshness: row.freshness,
            data: entry,
          }),
          ConditionExpression: 'attribute_not_exists(pk) OR #cursor < :cursor',
          ExpressionAttributeNames: { '#cursor': 'cursor' },
          ExpressionAttributeValues: { ':cursor': entry.cursor },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  };
  // Parts are independent items: a batch's changed tasks go in parallel, a bounded number at once.
  for (let i = 0; i < changed.length; i += partWritesAtOnce)
    await Promise.all(changed.slice(i, i + partWritesAtOnce).map(put));
};

/** Folds events into a row with optimistic retries. Returns whether anything was written. */
export const applyToRow = async (
  view: RowViewName,
  version: number,
  id: string,
  events: SourceEvent[],
  now: string,
  attempts = 8,
): Promise<{ written: boolean; row: unknown }> => {
  const spec = rowViewOf(view);
  for (let attempt = 1; ; attempt++) {
    const stored = await loadRow<unknown>(view, version, id);
    let row = stored?.row;
    for (const event of events) row = spec.apply(row, event, now);
    if (row === undefined || row === stored?.row) return { written: false, row };
    if (await putRow(view, version, id, row as { freshness: { sourceVersion: number } }, stored as never))
      return { written: true, row };
    if (attempt >= attempts) throw new Error(`read model ${view} row ${id}: too many concurrent writers`);
  }
};

/** Replaces a row from source, whatever it holds now (reconciliation repair, after its evidence). */
export const replaceRow = async (
  view: RowViewName,
  version: number,
  id: string,
  row: { freshness: { sourceVersion: number } },
): Promise<void> => {
  for (let attempt = 1; attempt <= 8; attempt++) {
    const stored = await loadRow<typeof row>(view, version, id);
    // Never replace a row the projector has meanwhile moved past the source read.
    if (stored && stored.sourceVersion > row.freshness.sourceVersion) return;
    if (await putRow(view, version, id, row, stored)) return;
  }
  throw new Error(`read model ${view} row ${id}: could not replace`);
};

const timelineItem = (version: number, entry: TimelineEntry) =>
  packedWhenLarge({
    pk: timelinePk(version, channelRef(entry.channelId, entry.accountId), entryStream(entry)),
    sk: entry.key,
    itemType: 'timeline',
    channelId: entry.channelId,
    sourceVersion: entry.source.aggregateVersion,
    data: entry,
  });

/** Entries are immutable: the first write wins, a duplicate delivery is a no-op. */
export const putTimelineEntry = async (version: number, entry: TimelineEntry): Promise<boolean> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: timelineItem(version, entry),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

export type ListRange = {
  from?: string;
  to?: string;
  limit: number;
  after?: string;
  channelId?: string;
  /** One seller's rows of `channelId` (views that name a seller). */
  seller?: string;
};

const listPartitions = (view: RowViewName, version: number, range: ListRange) => {
  const partition = viewPartition(view, version);
  if (range.seller !== undefined && range.channelId !== undefined)
    return {
      index: 'bySeller',
      partitionAttribute: 'sellerView',
      partitions: [sellerPartition(view, version, range.channelId, range.seller)],
    };
  if (range.channelId !== undefined)
    return {
      index: 'byOwner',
      partitionAttribute: 'ownerView',
      partitions: [`${partition}#${range.channelId}`],
    };
  return {
    index: 'byView',
    partitionAttribute: 'view',
    partitions: shardSuffixes.map((s) => `${partition}#${s}`),
  };
};

/**
 * One page of the rows listed in a view, in sort-key order, optionally within [from, to]: one
 * channel's partition when `channelId` is given, else the merge of the view's shards.
 */
export const listRows = async <R>(
  view: RowViewName,
  version: number,
  range: ListRange,
): Promise<{ rows: R[]; next?: string }> => {
  const page = await readPage({
    table: table(),
    ...listPartitions(view, version, range),
    sortAttribute: 'sortKey',
    direction: 'oldestFirst',
    limit: range.limit,
    ...(range.after ? { after: range.after } : {}),
    range: { from: range.from, to: range.to },
  });
  return { rows: page.entries.map((i) => unpacked<R>(i)), ...(page.next ? { next: page.next } : {}) };
};

/**
 * One page of an account's timeline in entry order: one channel's account, the streams asked
 * for (a partner's: its channel-visible ones), each read from its own position on.
 */
export const loadTimeline = async (
  version: number,
  accountRef: string,
  page: { limit: number; after?: TimelinePosition; streams?: TimelineStream[] },
): Promise<{ entries: TimelineEntry[]; next?: TimelinePosition }> => {
  const streams = page.streams ?? readableStreams('internal');
  const read = await Promise.all(
    streams.map(async (stream) => {
      const after = page.after?.[stream];
      const res = await readPage({
        table: table(),
        partitionAttribute: 'pk',
        sortAttribute: 'sk',
        partitions: [timelinePk(version, accountRef, stream)],
        direction: 'oldestFirst',
        limit: page.limit,
        ...(after ? { after } : {}),
      });
      return { stream, entries: res.entries.map((i) => unpacked<TimelineEntry>(i)), more: !!res.next };
    }),
  );
  return mergeTimelinePage(read, page.limit, page.after);
};

/** Writes timeline entries from source whatever is stored (reconciliation repair). */
export const replaceTimelineEntries = async (version: number, entries: TimelineEntry[]): Promise<void> => {
  for (const entry of entries) {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: timelineItem(version, entry),
      }),
    );
  }
};

const shardPartitions = (view: RowViewName, version: number) =>
  shardSuffixes.map((s) => `${viewPartition(view, version)}#${s}`);

/** The first row listed in a view (its oldest, for views sorted by time): one item per shard. */
export const firstListed = async <R>(view: RowViewName, version: number): Promise<R | undefined> => {
  const firsts = await Promise.all(
    shardPartitions(view, version).map(async (partition) => {
      const res = await documentClient().send(
        new QueryCommand({
          TableName: table(),
          IndexName: 'byView',
          KeyConditionExpression: '#view = :view',
          ExpressionAttributeNames: { '#view': 'view' },
          ExpressionAttributeValues: { ':view': partition },
          Limit: 1,
        }),
      );
      return res.Items?.[0];
    }),
  );
  const first = firsts
    .filter((f) => f !== undefined)
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))[0];
  return first && unpacked<R>(first);
};

/**
 * How many rows of a view's list sort before `below` (e.g. quotes past validity, approvals past
 * due). Reads exactly the rows it counts (key range of the sparse index, every shard), no other row.
 */
export const countListedBefore = async (
  view: RowViewName,
  version: number,
  below: string,
): Promise<number> => {
  const counts = await Promise.all(
    shardPartitions(view, version).map(async (partition) => {
      let count = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const res = await documentClient().send(
          new QueryCommand({
            TableName: table(),
            IndexName: 'byView',
            KeyConditionExpression: '#view = :view AND sortKey < :below',
            ExpressionAttributeNames: { '#view': 'view' },
            ExpressionAttributeValues: { ':view': partition, ':below': below },
            Select: 'COUNT',
            Limit: 1000,
            ExclusiveStartKey: start,
          }),
        );
        count += res.Count ?? 0;
        start = res.LastEvaluatedKey;
      } while (start);
      return count;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
};
