import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderFacts, QuoteFacts } from '#domain/reconciliation/checks';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { loadAggregate } from './aggregate-store.ts';

type Data = Record<string, unknown> & {
  acceptance?: { acceptedAt?: string };
  tasks?: Record<string, unknown>[];
};
type Item = { data: Data; version: number };

/** Every aggregate of a kind, from the `byType` index (itemType = kind in lower case). */
export const loadAllOfType = async (itemType: string): Promise<Item[]> => {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: env.table('aggregates'),
        IndexName: 'byType',
        KeyConditionExpression: 'itemType = :t',
        ExpressionAttributeValues: { ':t': itemType },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of res.Items ?? []) items.push({ data: i.data as Data, version: i.version as number });
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
};

export const quoteFacts = ({ data, version }: Item): QuoteFacts => ({
  id: String(data.id),
  version,
  state: String(data.state),
  channelId: String(data.channelId ?? ''),
  acceptedAt: data.acceptance?.acceptedAt,
});

export const orderFacts = ({ data, version }: Item): OrderFacts => ({
  id: String(data.id),
  version,
  state: String(data.state),
  quoteId: String(data.quoteId ?? ''),
  channelId: String(data.channelId ?? ''),
  orderDate: String(data.orderDate ?? ''),
  planned: data.plan !== undefined && data.plan !== null,
  tasks: (data.tasks ?? []).map((t) => ({
    id: String(t.id),
    orderItemId: String(t.orderItemId ?? ''),
    type: String(t.type),
    action: String(t.action ?? 'add'),
    downstream: t.downstream === 'billing' ? ('billing' as const) : ('provisioning' as const),
    correlationId: String(t.correlationId ?? ''),
    state: String(t.state),
    attempts: Number(t.attempts ?? 0),
    completedAt: typeof t.completedAt === 'string' ? t.completedAt : undefined,
  })),
});

/** Quotes and orders in scope: all of them, or the listed ids (read consistently). */
export const loadFacts = async (scope: { quoteIds?: string[]; orderIds?: string[] }) => {
  const byIds = async (kind: 'QUOTE' | 'ORDER', ids: string[]) =>
    (await Promise.all(ids.map((id) => loadAggregate<Data>(kind, id))))
      .filter((s) => s !== undefined)
      .map((s) => ({ data: s.aggregate, version: s.version }));
  const scoped = scope.quoteIds !== undefined || scope.orderIds !== undefined;
  const quotes = scoped ? await byIds('QUOTE', scope.quoteIds ?? []) : await loadAllOfType('quote');
  const orders = scoped ? await byIds('ORDER', scope.orderIds ?? []) : await loadAllOfType('order');
  // Conversion is judged against every order, whatever the scope.
  const allOrders = scoped && (scope.quoteIds?.length ?? 0) > 0 ? await loadAllOfType('order') : orders;
  return {
    quotes: quotes.map(quoteFacts),
    orders: orders.map(orderFacts),
    convertedQuoteIds: new Set(allOrders.map((o) => String(o.data.quoteId ?? ''))),
  };
};
