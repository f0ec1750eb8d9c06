import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { itemBytes } from '#adapters/item-bytes';
import type { IndexSpec, TableSpec } from '#topology';

/**
 * What DynamoDB bills for the writes of one `TransactWriteItems`, from the items before and after
 * it. DynamoDB Local reports a transaction's capacity wrongly (three 1.5 KB puts as 4 units where
 * DynamoDB bills 12; ten 200-byte puts as 2 where it bills 20), so the local stack computes it as
 * DynamoDB bills it:
 * - each action on the table: 2 write units per started KB of the larger of the item's two images
 *   (a delete or a condition check: of the item as it was; at least one KB);
 * - each index the change reaches: at the standard rate (changes reach indexes after the commit),
 *   per started KB of the projected item: a put when the item enters, a delete when it leaves,
 *   both when its index key changes, one write of the larger image when a projected attribute
 *   changes, nothing otherwise.
 * Single-item requests and batch writes are reported right by DynamoDB Local and stay as reported.
 */
export type Item = Record<string, AttributeValue>;
export type TransactAction = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
export type ActionUnits = { table: number; indexes: Record<string, number> };

export const kilobytes = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

const tableKeys = (spec: TableSpec): string[] => [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])];

const inIndex = (item: Item | undefined, index: IndexSpec): item is Item =>
  item?.[index.partitionKey] !== undefined && item[index.sortKey] !== undefined;

const projected = (item: Item, spec: TableSpec, index: IndexSpec): Item =>
  Object.fromEntries(
    [...tableKeys(spec), index.partitionKey, index.sortKey, ...index.projection]
      .filter((name) => item[name] !== undefined)
      .map((name) => [name, item[name] as AttributeValue]),
  );

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const indexUnits = (before: Item | undefined, after: Item | undefined, spec: TableSpec, index: IndexSpec) => {
  const was = inIndex(before, index) ? projected(before, spec, index) : undefined;
  const is = inIndex(after, index) ? projected(after, spec, index) : undefined;
  if (!was && !is) return 0;
  if (!was) return kilobytes(itemBytes(is as Item));
  if (!is) return kilobytes(itemBytes(was));
  const keyMoved =
    !same(was[index.partitionKey], is[index.partitionKey]) || !same(was[index.sortKey], is[index.sortKey]);
  if (keyMoved) return kilobytes(itemBytes(was)) + kilobytes(itemBytes(is));
  if (same(was, is)) return 0;
  return kilobytes(Math.max(itemBytes(was), itemBytes(is)));
};

/** The units one action of a transaction is billed, on its table and on each index it reaches. */
export const transactActionUnits = (
  action: TransactAction,
  before: Item | undefined,
  after: Item | undefined,
  spec: TableSpec,
): ActionUnits => {
  const size = Math.max(
    before ? itemBytes(before) : 0,
    action === 'Put' || action === 'Update' ? itemBytes(after ?? {}) : 0,
  );
  const indexes: Record<string, number> = {};
  if (action !== 'ConditionCheck')
    for (const index of spec.globalSecondaryIndexes ?? []) {
      const units = indexUnits(before, action === 'Delete' ? undefined : after, spec, index);
      if (units > 0) indexes[index.indexName] = units;
    }
  return { table: 2 * kilobytes(size), indexes };
};

export const totalUnits = (units: readonly ActionUnits[]): number =>
  units.reduce((sum, u) => sum + u.table + Object.values(u.indexes).reduce((a, b) => a + b, 0), 0);
