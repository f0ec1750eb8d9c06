import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ExtraItem } from '#adapters/aggregate-store';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/**
 * One small item per open order saying when the jeopardy sweep must next look at it, indexed by
 * that time (the type index sorts on `createdAt`): the sweep reads only the orders that are due.
 */
const itemType = 'jeopardy-watch';
const key = (orderId: string) => ({ pk: `JEOPARDY#${orderId}`, sk: 'A' });

export const jeopardyWatch = (orderId: string, dueAt: string): ExtraItem => ({
  item: { ...key(orderId), itemType, createdAt: dueAt, orderId },
});

export type DuePage = { orderIds: string[]; cursor?: Record<string, unknown> };

export const dueJeopardyWatches = async (
  now: string,
  limit: number,
  cursor?: Record<string, unknown>,
): Promise<DuePage> => {
  const page = await documentClient().send(
    new QueryCommand({
      TableName: env.table('aggregates'),
      IndexName: 'byType',
      KeyConditionExpression: 'itemType = :t AND createdAt <= :now',
      ExpressionAttributeValues: { ':t': itemType, ':now': now },
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  return {
    orderIds: (page.Items ?? []).map((i) => String(i.orderId)),
    ...(page.LastEvaluatedKey ? { cursor: page.LastEvaluatedKey } : {}),
  };
};

/** The next look at the order, or none: a closed or breached order leaves the watch list. */
export const moveJeopardyWatch = async (orderId: string, dueAt: string | undefined): Promise<void> => {
  const TableName = env.table('aggregates');
  if (dueAt)
    await documentClient().send(new PutCommand({ TableName, Item: jeopardyWatch(orderId, dueAt).item }));
  else await documentClient().send(new DeleteCommand({ TableName, Key: key(orderId) }));
};
