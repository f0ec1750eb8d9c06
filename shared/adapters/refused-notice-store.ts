import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type RefusedNotice, refusalDay } from '#domain/order/refused-notice';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/**
 * Refused downstream notices in the read-models table, every key under `NOTICEREFUSALS#` (the
 * notice handler's only grant there), every item with a TTL:
 * - the log of a downstream, newest first: `NOTICEREFUSALS#LOG#<downstream>` / `<at>#<noticeId>`;
 * - a guard per notice id, so a notice delivered again is neither logged nor counted again;
 * - counts by code, per downstream and UTC day and per order.
 */
const prefix = 'NOTICEREFUSALS#';
const logPartition = (downstream: string) => `${prefix}LOG#${downstream}`;
const guardKey = (noticeId: string) => ({ pk: `${prefix}ID#${noticeId}`, sk: 'SEEN' });
const downstreamCountKey = (downstream: string, day: string) => ({
  pk: `${prefix}COUNT#${downstream}`,
  sk: day,
});
const orderCountKey = (orderId: string) => ({ pk: `${prefix}ORDER#${orderId}`, sk: 'COUNT' });

export type RefusalCounts = { total: number; byCode: Record<string, number> };

const countUpdate = (key: Record<string, string>, r: RefusedNotice) => ({
  Update: {
    TableName: env.table('readModels'),
    Key: key,
    UpdateExpression: 'ADD #total :one, #code :one SET expiresAt = :exp',
    ExpressionAttributeNames: { '#total': 'total', '#code': `code_${r.code}` },
    ExpressionAttributeValues: { ':one': 1, ':exp': r.expiresAt },
  },
});

const cancelReasons = (error: unknown): string[] =>
  (error as Error)?.name === 'TransactionCanceledException'
    ? ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map(
        (r) => r.Code ?? 'None',
      )
    : [];

/**
 * Logs and counts a refused notice once per notice id, all or nothing. Returns false when the
 * notice was recorded before. A transaction that lost a race with another refusal's count is
 * tried again; anything else is thrown (the downstream's retry records it then).
 */
export const recordRefusedNotice = async (r: RefusedNotice, attempts = 3): Promise<boolean> => {
  const table = env.table('readModels');
  const { expiresAt } = r;
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: { ...guardKey(r.noticeId), at: r.at, expiresAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table,
              Item: { pk: logPartition(r.downstream), sk: `${r.at}#${r.noticeId}`, ...r },
            },
          },
          countUpdate(downstreamCountKey(r.downstream, refusalDay(r.at)), r),
          countUpdate(orderCountKey(r.orderId), r),
        ],
      }),
    );
    return true;
  } catch (error) {
    const reasons = cancelReasons(error);
    if (reasons[0] === 'ConditionalCheckFailed') return false;
    if (reasons.includes('TransactionConflict') && attempts > 1) return recordRefusedNotice(r, attempts - 1);
    throw error;
  }
};

const countsOf = (item: Record<string, unknown> | undefined): RefusalCounts => ({
  total: Number(item?.total ?? 0),
  byCode: Object.fromEntries(
    Object.entries(item ?? {})
      .filter(([k]) => k.startsWith('code_'))
      .map(([k, v]) => [k.slice('code_'.length), Number(v)]),
  ),
});

const getCounts = async (key: Record<string, string>): Promise<RefusalCounts> => {
  const res = await documentClient().send(new GetCommand({ TableName: env.table('readModels'), Key: key }));
  return countsOf(res.Item);
};

export const downstreamRefusalCounts = (downstream: string, day: string) =>
  getCounts(downstreamCountKey(downstream, day));

export const orderRefusalCounts = (orderId: string) => getCounts(orderCountKey(orderId));

/** A downstream's refused notices, newest first, one page; `after` is the last sort key returned. */
export const listRefusedNotices = async (
  downstream: string,
  limit: number,
  after?: string,
): Promise<{ items: Omit<RefusedNotice, 'expiresAt'>[]; last?: string }> => {
  const res = await documentClient().send(
    new QueryCommand({
      TableName: env.table('readModels'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': logPartition(downstream) },
      ScanIndexForward: false,
      Limit: limit,
      ...(after ? { ExclusiveStartKey: { pk: logPartition(downstream), sk: after } } : {}),
    }),
  );
  const items = (res.Items ?? []).map(
    ({ pk: _pk, sk: _sk, expiresAt: _e, ...rest }) => rest as Omit<RefusedNotice, 'expiresAt'>,
  );
  const last = res.LastEvaluatedKey?.sk as string | undefined;
  return last ? { items, last } : { items };
};
