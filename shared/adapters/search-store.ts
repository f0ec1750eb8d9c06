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
import { orderSearchDocOf } from '#domain/search/order-search';
import { applyQuoteSearch, type QuoteSearchDoc } from '#domain/search/quote-search';
import { type DocumentType, entriesOf, type SearchDoc, type searchPlan } from '#domain/search/search-index';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/**
 * Search table layout: a document item per quote or order (pk `DOC#<type>#<id>`, sk `DOC`) with
 * a revision and the list of its index entries; one key-only item per index entry (pk = entry
 * partition, sk = sort value). A quote document keeps its reducer state, which is the search
 * document itself. An order document is derived from the order tracking row the projector has
 * just projected in the same batch and keeps only the document and the row's source version: the
 * row is not stored twice. A change of entries is one transaction with
 * the document, so the index never points at a document that does not match it; a change that
 * keeps the entries is one conditional put.
 */
const table = () => env.table('search');
const docKey = (type: DocumentType, id: string) => ({ pk: `DOC#${type}#${id}`, sk: 'DOC' });
const MAX_TRANSACTION_ITEMS = 100;

export type Stored = {
  state?: unknown;
  doc?: SearchDoc;
  sourceVersion?: number;
  revision: number;
  entries: string[];
};

export const loadDoc = async (type: DocumentType, id: string): Promise<Stored | undefined> => {
  const res = await documentClient().send(
    new GetCommand({ TableName: table(), Key: docKey(type, id), ConsistentRead: true }),
  );
  return res.Item as Stored | undefined;
};

/** The search document of a stored item: a quote's state is its document. */
const docOfItem = (item: Record<string, unknown>): SearchDoc => (item.doc ?? item.state) as SearchDoc;

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
  stored: Stored | undefined,
  fields: Record<string, unknown>,
  doc: SearchDoc,
): Promise<boolean> => {
  const before = new Set(stored?.entries ?? []);
  const after = new Set(entriesOf(type, doc).map(entryId));
  const document = {
    TableName: table(),
    Item: {
      ...docKey(type, id),
      itemType: 'search-doc',
      revision: (stored?.revision ?? 0) + 1,
      ...fields,
      entries: [...after],
    },
    ConditionExpression: stored ? 'revision = :revision' : 'attribute_not_exists(pk)',
    ExpressionAttributeValues: stored ? { ':revision': stored.revision } : undefined,
  };
  const removed = [...before].filter((e) => !after.has(e));
  const added = [...after].filter((e) => !before.has(e));
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
          Item: { ...entryOf(e), itemType: 'search-entry', docType: type, docId: id },
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
export const indexQuote = async (id: string, events: SourceEvent[], now: string): Promise<boolean> => {
  for (let attempt = 1; ; attempt++) {
    const stored = await loadDoc('quote', id);
    const state = events.reduce<QuoteSearchDoc | undefined>(
      (s, e) => applyQuoteSearch(s, e, now) ?? s,
      stored?.state as QuoteSearchDoc | undefined,
    );
    if (state === stored?.state || state === undefined) return false;
    if (await writeDocument('quote', id, stored, { state }, state as SearchDoc)) return true;
    if (attempt >= attemptsPerDocument) throw new Error(`search document quote ${id} kept changing`);
  }
};

/**
 * An order's document from its tracking row as the projector just left it (same reducer, so
 * search and tracking agree): written unless the document already shows a newer source version.
 */
export const indexOrder = async (id: string, row: OrderTrackingRow): Promise<boolean> => {
  const sourceVersion = row.freshness.sourceVersion;
  const doc = orderSearchDocOf(row) as SearchDoc;
  for (let attempt = 1; ; attempt++) {
    const stored = await loadDoc('order', id);
    if (stored?.sourceVersion !== undefined && stored.sourceVersion > sourceVersion) return false;
    if (await writeDocument('order', id, stored, { doc, sourceVersion }, doc)) return true;
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
  for (const doc of docs.values()) {
    try {
      let wrote = false;
      if (doc.type === 'quote') wrote = await indexQuote(doc.id, doc.events, now);
      else {
        // No row: the events made none (nothing to search), or its write failed and those
        // events are already the batch's failures, to be delivered again.
        const row = await trackingRowOf(doc.id);
        if (row) wrote = await indexOrder(doc.id, row);
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
 * One page of the partition the plan names: at most `limit` entries read, then their documents
 * (one BatchGet), then the other criteria checked on the current documents.
 */
export const searchPage = async (
  type: DocumentType,
  plan: NonNullable<ReturnType<typeof searchPlan>>,
  limit: number,
  start?: Record<string, unknown>,
): Promise<Page> => {
  const values: Record<string, unknown> = { ':pk': plan.pk };
  let condition = 'pk = :pk';
  if (plan.sort) {
    values[':sort'] = plan.sort.value;
    condition += plan.sort.op === 'begins_with' ? ' AND begins_with(sk, :sort)' : ' AND sk < :sort';
  }
  const res = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
      ScanIndexForward: !plan.newestFirst,
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  const ids = [...new Set((res.Items ?? []).map((i) => i.docId as string))];
  const docs = await loadDocs(type, ids);
  return {
    docs: ids.map((id) => docs.get(id)).filter((d): d is SearchDoc => !!d && plan.matches(d)),
    read: res.Items?.length ?? 0,
    ...(res.LastEvaluatedKey ? { next: res.LastEvaluatedKey } : {}),
  };
};

const loadDocs = async (type: DocumentType, ids: string[]): Promise<Map<string, SearchDoc>> => {
  const found = new Map<string, SearchDoc>();
  let keys = ids.map((id) => docKey(type, id));
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
