import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { marshall } from '@aws-sdk/util-dynamodb';
import { marshallOptions } from '#plumbing/clients';
import { itemBytes } from './item-bytes.ts';

/**
 * Large JSON attributes, stored brotli-compressed. DynamoDB bills a write per started KB of the
 * whole item, twice in a transaction, and every order step rewrites the order's header (and a step
 * page) in one: a one-item order's 4.5 KB document shrinks to about 1.3 KB. An aggregate's `data`
 * is kept as `packedData`, a page's `entries` as `packedEntries`; a read model's row, part or
 * timeline entry over a KB keeps `data` under its own name (its indexes project `data`). Items
 * written before hold them plain, and both are read.
 */
export const packedName = (plain: string): string => `packed${plain[0]?.toUpperCase()}${plain.slice(1)}`;

/** Fast enough for every write (about 0.3 ms for 5 KB); higher levels gain a few percent for 20 times the time. */
const quality = 5;

export const pack = (value: unknown): Uint8Array => {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  return brotliCompressSync(json, {
    params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: json.length },
  });
};

/** DynamoDB bills a write per started KB, and at least one. */
const billedKb = 1024;

/**
 * An item with `attribute` packed under its own name when the item, as DynamoDB sizes it, is over
 * the one KB billed at least; a smaller one stays plain and legible, as packing it saves nothing.
 */
export const packedWhenLarge = <I extends Record<string, unknown>>(item: I, attribute = 'data'): I =>
  itemBytes(marshall(item, marshallOptions)) > billedKb
    ? { ...item, [attribute]: pack(item[attribute]) }
    : item;

const unpack = <T>(bytes: Uint8Array): T => JSON.parse(brotliDecompressSync(bytes).toString('utf8')) as T;

/**
 * An attribute of an item, packed or plain (`data`: an aggregate's document): under its packed
 * name, or compressed under its own name (where an index projects it by that name), or plain.
 */
export const unpacked = <T>(item: Record<string, unknown>, plain = 'data'): T => {
  const value = item[packedName(plain)] ?? item[plain];
  return (value instanceof Uint8Array ? unpack<T>(value) : value) as T;
};
