import type { AttributeValue } from '@aws-sdk/client-dynamodb';
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

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number's size: about one byte per two significant digits, plus one. */
const numberBytes = (n: string): number => {
  const digits = n
    .replace(/^[-+]/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
};

const binaryBytes = (b: Uint8Array | string): number => (typeof b === 'string' ? utf8(b) : b.byteLength);

/** The size DynamoDB counts for one attribute value (its name not included). */
export const valueBytes = (value: AttributeValue): number => {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return binaryBytes(value.B);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  if (value.BS) return value.BS.reduce((sum, b) => sum + binaryBytes(b), 0);
  // A list or map: 3 bytes, and 1 per element beside the element itself (and a map entry's name).
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  if (value.M)
    return 3 + Object.entries(value.M).reduce((sum, [k, v]) => sum + 1 + utf8(k) + valueBytes(v), 0);
  return 0;
};

/** An item's size as DynamoDB counts it: attribute names and values. */
export const itemBytes = (item: Item): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);

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
