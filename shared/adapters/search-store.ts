import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isOrderEvent, type OrderTrackingRow } from '#domain/projections/order-tracking';
import { isQuoteEvent } from '#domain/projections/quote-summary';
import type { SourceEvent } from '#domain/projections/source-event';
import { decodeEntries, encodeEntries } from '#domain/search/entry-codes';
import { orderSearchDocOf } from '#domain/search/order-search';
import { applyQuoteSearch, type QuoteSearchDoc } from '#domain/search/quote-search';
import {
  channelIndexSchema,
  type DocumentType,
  type Entry,
  entriesOf,
  type SearchDoc,
  type searchPlan,
} from '#domain/search/search-index';
import {
  type SearchTarget,
  schemaOfVersion,
  searchKeyPrefix,
  searchWriteTargets,
} from '#domain/search/search-versions';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { pack, unpacked } from './packed-data.ts';
import { loadSearchPointer } from './search-pointer.ts';

/**
 * Search table layout: a document item per quote or order (pk `DOC#<type>#<id>`, sk `DOC`) with
 * a revision and the list of its index entries; one key-only item per index entry (pk = entry
 * partition, sk = sort value). A quote document keeps its reducer state, which is the search
 * document itself. An order document is derived from the order tracking row the projector has
 * just projected in the same batch and keeps only the document and the row's source version: the
 * row is not stored twice. A change of entries is one transaction with
 * the document, so the index never points at a document that does not match it; a change that
 * keeps the entries is one conditional put. Every key carries its index version's prefix
 * (search-versions.ts): versions live side by side in the table, the pointer says which is read.
 * From schema 2 an entry is written once, with its channel scope's partition as `channelPk`, and
 * partners' searches query the `entriesByChannel` GSI (search-index.ts). A GSI is eventually
 * consistent: a partner may find a change a moment after an internal role does, which is fine
 * for a near-real-time search that checks every document it returns. Schema 2 also stores the
 * document (and its entry codes) brotli-compressed under their own names: an order's document
 * item is written at every step, billed per started KB twice in a transaction.
 */
const table = () => env.table('search');
/** The GSI on `channelPk` (shared/topology.ts): it projects `docId`, all a page reads. */
const channelIndex = 'entriesByChannel';
const docKey = (type: DocumentType, id: string, version: number) => ({
  pk: `${searchKeyPrefix(version)}DOC#${type}#${id}`,
  sk: 'DOC',
});
const MAX_TRANSACTION_ITEMS = 100;

export type Stored = {
  state?: unknown;
  doc?: SearchDoc;
  sourceVersion?: number;
  revision: number;
  /** The entries written, spelled out (documents written before `entryCodes`). */
  entries?: string[];
  /** The entries written, coded against the stored document's words (entry-codes.ts). */
  entryCodes?: string[];
};

export const loadDoc = async (
  type: DocumentType,
  id: string,
  version: number,
): Promise<Stored | undefined> => {
  const res = await documentClient().send(
    new GetCommand({ TableName: table(), Key: docKey(type, id, version), ConsistentRead: true }),
  );
  return res.Item ? storedOf(res.Item) : undefined;
};

/** A document item as written, compressed (schema 2) or plain. */
const storedOf = (item: Record<string, unknown>): Stored => {
  const stored = { ...item } as Stored & Record<string, unknown>;
  for (const name of ['state', 'doc', 'entryCodes'])
    if (item[name] !== undefined) stored[name] = unpacked(item, name);
  return stored;
};

/** The search document of a stored item: a quote's state is its document. */
const docOfItem = (item: Record<string, unknown>): SearchDoc =>
  (unpacked(item, 'doc') ?? unpacked(item, 'state')) as SearchDoc;

/** The partition head every entry of a document type starts with, and the words they repeat. */
const codeContext = (type: DocumentType, version: number, doc: SearchDoc | undefined) => ({
  head: `${searchKeyPrefix(version)}IDX#${type}#`,
  words: !doc
    ? []
    : doc.documentType === 'quote'
      ? [`${doc.dates.createdAt}#${doc.quoteId}`, doc.quoteId, doc.dates.createdAt, doc.channelId]
      : [
          `${doc.orderDate}#${doc.orderId}`,
          doc.orderId,
          doc.orderDate,
          doc.accountId,
          doc.channelId,
          ...doc.correlationIds,
        ],
});

const entriesWritten = (type: DocumentType, version: number, stored: Stored | undefined): string[] => {
  if (!stored) return [];
  if (stored.entries) return stored.entries;
  const { head, words } = codeContext(type, version, docOfItem(stored as Record<string, unknown>));
  return decodeEntries(stored.entryCodes ?? [], head, words);
};

/** The entries of a document in an index version, with its key prefix. */
const versionEntries = (type: DocumentType, doc: SearchDoc, { version, schema }: SearchTarget): Entry[] => {
  const prefix = searchKeyPrefix(version);
  return entriesOf(type, doc, schema).map((e) => ({
    pk: `${prefix}${e.pk}`,
    sk: e.sk,
    ...(e.channelPk ? { channelPk: `${prefix}${e.channelPk}` } : {}),
  }));
};

const entryId = (e: { pk: string; sk: string }) => `${e.pk}\u0000${e.sk}`;
const entryOf = (id: string) => {
  const [pk, sk] = id.split('\u0000') as [string, string];
  return { pk, sk };
};

const isConflict = (error: unknown) =>
  error instanceof TransactionCanceledException ||
  (error as Error)?.name === 'TransactionCanceledException' ||
  (error as Error)?.name === 'ConditionalCheckFailedException';

const typeOf = (event: SourceEvent): DocumentType | undefined =>
  isQuoteEvent(event) ? 'quote' : isOrderEvent(event) ? 'order' : undefined;

/**
 * Writes a document and the difference of its index entries, conditional on the revision read.
 * Answers false when another writer got there first (the caller reads again).
 */
const writeDocument = async (
  type: DocumentType,
  id: string,
  target: SearchTarget,
  stored: Stored | undefined,
  fields: { state: QuoteSearchDoc } | { doc: SearchDoc; sourceVersion: number },
  doc: SearchDoc,
): Promise<boolean> => {
  const { version } = target;
  const indexed = target.schema >= channelIndexSchema;
  const entries = new Map(versionEntries(type, doc, target).map((e) => [entryId(e), e]));
  const before = new Set(entriesWritten(type, version, stored));
  const after = new Set(entries.keys());
  const codes = codeContext(type, version, doc);
  const entryCodes = encodeEntries([...after], codes.head, codes.words);
  const packed = (value: unknown) => (indexed ? pack(value) : value);
  const document = {
    TableName: table(),
    Item: {
      ...docKey(type, id, version),
      itemType: 'search-doc',
      revision: (stored?.revision ?? 0) + 1,
      ...('state' in fields ? { state: packed(fields.state) } : { doc: packed(fields.doc) }),
      ...('sourceVersion' in fields ? { sourceVersion: fields.sourceVersion } : {}),
      entryCodes: packed(entryCodes),
    },
    ConditionExpression: stored ? 'revision = :revision' : 'attribute_not_exists(pk)',
    ExpressionAttributeValues: stored ? { ':revision': stored.revision } : undefined,
  };
  // An entry's key does not name the channel its `channelPk` does: a move rewrites them all.
  const moved =
    indexed &&
    stored !== undefined &&
    docOfItem(stored as Record<string, unknown>)?.channelId !== doc.channelId;
  const removed = [...before].filter((e) => !after.has(e));
  const added = [...after].filter((e) => moved || !before.has(e));
  try {
    if (removed.length === 0 && added.length === 0) {
      await documentClient().send(new PutCommand(document));
      return true;
    }
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      { Put: document },
      ...removed.map((e) => ({ Delete: { TableName: table(), Key: entryOf(e) } })),
      ...added.map((e) => ({
        Put: {
          TableName: table(),
          Item: { ...entries.get(e), itemType: 'search-entry', docType: type, docId: id },
        },
      })),
    ];
    if (items.length > MAX_TRANSACTION_ITEMS)
      throw new Error(`search document ${type} ${id} needs ${items.length} writes in one change`);
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
};

const attemptsPerDocument = 8;

/** Folds a quote's events into its document: one read, then one write if anything changed. */
export const indexQuote = async (
  id: string,
  events: SourceEvent[],
  now: string,
  target: SearchTarget,
): Promise<boolean> => {
  for (let attempt = 1; ; attempt++) {
    const stored = await loadDoc('quote', id, target.version);
    const state = events.reduce<QuoteSearchDoc | undefined>(
      (s, e) => applyQuoteSearch(s, e, now) ?? s,
      stored?.state as QuoteSearchDoc | undefined,
    );
    if (state === stored?.state || state === undefined) return false;
    if (await writeDocument('quote', id, target, stored, { state }, state as SearchDoc)) return true;
    if (attempt >= attemptsPerDocument) throw new Error(`search document quote ${id} kept changing`);
  }
};

/**
 * An order's document from its tracking row as the projector just left it (same reducer, so
 * search and tracking agree): written unless the document already shows a newer source version.
 */
export const indexOrder = async (
  id: string,
  row: OrderTrackingRow,
  target: SearchTarget,
): Promise<boolean> => {
  const sourceVersion = row.freshness.sourceVersion;
  const doc = orderSearchDocOf(row) as SearchDoc;
  for (let attempt = 1; ; attempt++) {
    const stored = await loadDoc('order', id, target.version);
    if (stored?.sourceVersion !== undefined && stored.sourceVersion > sourceVersion) return false;
    if (await writeDocument('order', id, target, stored, { doc, sourceVersion }, doc)) return true;
    if (attempt >= attemptsPerDocument) throw new Error(`search document order ${id} kept changing`);
  }
};

/**
 * Applies a batch of events to their search documents, at most one write per document; an
 * order's from its tracking row (`trackingRowOf`, projected first). Returns the events whose
 * document could not be written (to be retried).
 */
export const indexEvents = async (
  events: SourceEvent[],
  now: string,
  trackingRowOf: (orderId: string) => Promise<OrderTrackingRow | undefined>,
): Promise<{ failed: Set<SourceEvent>; written: number }> => {
  const docs = new Map<string, { type: DocumentType; id: string; events: SourceEvent[] }>();
  for (const event of events) {
    const type = typeOf(event);
    if (!type) continue;
    const key = `${type}#${event.aggregateId}`;
    const group = docs.get(key) ?? { type, id: event.aggregateId, events: [] };
    group.events.push(event);
    docs.set(key, group);
  }
  const failed = new Set<SourceEvent>();
  let written = 0;
  const targets = docs.size > 0 ? searchWriteTargets(await loadSearchPointer()) : [];
  for (const doc of docs.values()) {
    try {
      let wrote = false;
      // No row: the events made none (nothing to search), or its write failed and those
      // events are already the batch's failures, to be delivered again.
      const row = doc.type === 'order' ? await trackingRowOf(doc.id) : undefined;
      for (const target of targets) {
        if (doc.type === 'quote') wrote = (await indexQuote(doc.id, doc.events, now, target)) || wrote;
        else if (row) wrote = (await indexOrder(doc.id, row, target)) || wrote;
      }
      if (wrote) written++;
    } catch {
      for (const e of doc.events) failed.add(e);
    }
  }
  return { failed, written };
};

export type Page = { docs: SearchDoc[]; read: number; next?: Record<string, unknown> };

/**
 * One page of the partition the plan names, in the active index version: at most `limit` entries
 * read, then their documents (one BatchGet), then the other criteria checked on the current
 * documents. Cursors name the unprefixed partition of the caller's scope, so a page continues
 * across a switch (from a version of either layout to the other).
 */
export const searchPage = async (
  type: DocumentType,
  plan: NonNullable<ReturnType<typeof searchPlan>>,
  limit: number,
  start?: { pk: string; sk: string },
): Promise<Page> => {
  const pointer = await loadSearchPointer();
  const { active } = pointer;
  const prefix = searchKeyPrefix(active);
  const byIndex = plan.byChannel && schemaOfVersion(pointer, active) >= channelIndexSchema;
  const values: Record<string, unknown> = { ':pk': `${prefix}${plan.pk}` };
  let condition = byIndex ? 'channelPk = :pk' : 'pk = :pk';
  if (plan.sort) {
    values[':sort'] = plan.sort.value;
    condition += plan.sort.op === 'begins_with' ? ' AND begins_with(sk, :sort)' : ' AND sk < :sort';
  }
  const res = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      ...(byIndex ? { IndexName: channelIndex } : {}),
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
      ScanIndexForward: !plan.newestFirst,
      Limit: limit,
      ExclusiveStartKey: start
        ? byIndex
          ? { channelPk: `${prefix}${start.pk}`, pk: `${prefix}${plan.allPk}`, sk: start.sk }
          : { pk: `${prefix}${start.pk}`, sk: start.sk }
        : undefined,
    }),
  );
  const ids = [...new Set((res.Items ?? []).map((i) => i.docId as string))];
  const docs = await loadDocs(type, ids, active);
  const last = res.LastEvaluatedKey as { sk: string } | undefined;
  return {
    docs: ids.map((id) => docs.get(id)).filter((d): d is SearchDoc => !!d && plan.matches(d)),
    read: res.Items?.length ?? 0,
    ...(last ? { next: { pk: plan.pk, sk: last.sk } } : {}),
  };
};

const loadDocs = async (
  type: DocumentType,
  ids: string[],
  version: number,
): Promise<Map<string, SearchDoc>> => {
  const found = new Map<string, SearchDoc>();
  let keys = ids.map((id) => docKey(type, id, version));
  for (let round = 0; keys.length > 0 && round < 5; round++) {
    const res = await documentClient().send(
      new BatchGetCommand({
        RequestItems: {
          [table()]: {
            Keys: keys,
            ProjectionExpression: '#state, #doc',
            ExpressionAttributeNames: { '#state': 'state', '#doc': 'doc' },
          },
        },
      }),
    );
    for (const item of res.Responses?.[table()] ?? []) {
      const doc = docOfItem(item);
      found.set(doc.documentType === 'quote' ? doc.quoteId : doc.orderId, doc);
    }
    keys = (res.UnprocessedKeys?.[table()]?.Keys ?? []) as typeof keys;
  }
  return found;
};
