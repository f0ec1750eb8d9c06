import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { applyOrderEvent, isOrderEvent, type OrderTrackingRow } from '#domain/projections/order-tracking';
import { isQuoteEvent } from '#domain/projections/quote-summary';
import type { SourceEvent } from '#domain/projections/source-event';
import { orderSearchDocOf } from '#domain/search/order-search';
import { applyQuoteSearch, type QuoteSearchDoc } from '#domain/search/quote-search';
import { type DocumentType, entriesOf, type SearchDoc, type searchPlan } from '#domain/search/search-index';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/**
 * Search table layout: a document item per quote or order (pk `DOC#<type>#<id>`, sk `DOC`) with
 * the reducer state, the search document, a revision and the list of its index entries; one
 * key-only item per index entry (pk = entry partition, sk = sort value). The document and its
 * entry changes are one transaction, so the index never points at a document that does not
 * match it.
 */
const table = () => env.table('search');
const docKey = (type: DocumentType, id: string) => ({ pk: `DOC#${type}#${id}`, sk: 'DOC' });
const MAX_TRANSACTION_ITEMS = 100;

type Stored = { state: unknown; doc: SearchDoc; revision: number; entries: string[] };

const loadDoc = async (type: DocumentType, id: string): Promise<Stored | undefined> => {
  const res = await documentClient().send(
    new GetCommand({ TableName: table(), Key: docKey(type, id), ConsistentRead: true }),
  );
  return res.Item as Stored | undefined;
};

const reduce = (type: DocumentType, state: unknown, event: SourceEvent, now: string) => {
  if (type === 'quote') {
    const next = applyQuoteSearch(state as QuoteSearchDoc | undefined, event, now);
    return next === state || !next ? undefined : { state: next, doc: next as SearchDoc };
  }
  const next = applyOrderEvent(state as OrderTrackingRow | undefined, event, now);
  return next === state || !next ? undefined : { state: next, doc: orderSearchDocOf(next) as SearchDoc };
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

/** Applies one event to its document and index entries. Idempotent; returns whether it wrote. */
export const indexEvent = async (event: SourceEvent, now: string, attempts = 8): Promise<boolean> => {
  const type: DocumentType | undefined = isQuoteEvent(event)
    ? 'quote'
    : isOrderEvent(event)
      ? 'order'
      : undefined;
  if (!type) return false;
  for (let attempt = 1; ; attempt++) {
    const stored = await loadDoc(type, event.aggregateId);
    const next = reduce(type, stored?.state, event, now);
    if (!next) return false;
    const entries = entriesOf(type, next.doc).map(entryId);
    const before = new Set(stored?.entries ?? []);
    const after = new Set(entries);
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      {
        Put: {
          TableName: table(),
          Item: {
            ...docKey(type, event.aggregateId),
            itemType: 'search-doc',
            revision: (stored?.revision ?? 0) + 1,
            state: next.state,
            doc: next.doc,
            entries: [...after],
          },
          ConditionExpression: stored ? 'revision = :revision' : 'attribute_not_exists(pk)',
          ExpressionAttributeValues: stored ? { ':revision': stored.revision } : undefined,
        },
      },
      ...[...before]
        .filter((e) => !after.has(e))
        .map((e) => ({ Delete: { TableName: table(), Key: entryOf(e) } })),
      ...[...after]
        .filter((e) => !before.has(e))
        .map((e) => ({
          Put: {
            TableName: table(),
            Item: { ...entryOf(e), itemType: 'search-entry', docType: type, docId: event.aggregateId },
          },
        })),
    ];
    if (items.length > MAX_TRANSACTION_ITEMS) {
      throw new Error(
        `search document ${type} ${event.aggregateId} needs ${items.length} writes in one change`,
      );
    }
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (!isConflict(error) || attempt >= attempts) throw error;
    }
  }
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
            ProjectionExpression: '#doc',
            ExpressionAttributeNames: { '#doc': 'doc' },
          },
        },
      }),
    );
    for (const item of res.Responses?.[table()] ?? []) {
      const doc = item.doc as SearchDoc;
      found.set(doc.documentType === 'quote' ? doc.quoteId : doc.orderId, doc);
    }
    keys = (res.UnprocessedKeys?.[table()]?.Keys ?? []) as typeof keys;
  }
  return found;
};
