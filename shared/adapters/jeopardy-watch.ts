import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ExtraItem } from '#adapters/aggregate-store';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/**
 * When the jeopardy sweep must next look at an open order: one small item per order in an hourly
 * bucket of its due time (`JEOPARDY#<hour>`, sorted by due time), on the base table, so the sweep
 * reads only what is due, bucket by bucket from its checkpoint, with no index to keep.
 */
const hourMs = 3_600_000;
const bucketOf = (iso: string) => Math.floor(Date.parse(iso) / hourMs);
const bucketKey = (bucket: number) => `JEOPARDY#${bucket}`;
const cursorKey = { pk: 'JEOPARDY-SWEEP', sk: 'A' };
/**
 * Where the first sweep starts. A watch is due at the earliest when its order is created, and the
 * schedule runs from deployment on, so two days back covers every watch a first sweep can find.
 */
const firstLookBackHours = 48;

export type Watch = { pk: string; sk: string; orderId: string; dueAt: string };

export const jeopardyWatch = (orderId: string, dueAt: string): ExtraItem => ({
  item: {
    pk: bucketKey(bucketOf(dueAt)),
    sk: `${dueAt}#${orderId}`,
    itemType: 'jeopardy-watch',
    orderId,
    dueAt,
  },
});

const table = () => env.table('aggregates');

/** The buckets a sweep at `now` reads: from its checkpoint up to the current hour. */
export const sweepBuckets = async (now: string): Promise<number[]> => {
  const res = await documentClient().send(new GetCommand({ TableName: table(), Key: cursorKey }));
  const from = (res.Item?.bucket as number | undefined) ?? bucketOf(now) - firstLookBackHours;
  return Array.from({ length: bucketOf(now) - from + 1 }, (_, i) => from + i);
};

/** The sweep finished every bucket before this one. */
export const advanceSweep = async (bucket: number): Promise<void> => {
  await documentClient().send(new PutCommand({ TableName: table(), Item: { ...cursorKey, bucket } }));
};

/** One page of the watches of a bucket that are due at `now`. */
export const dueWatches = async (
  bucket: number,
  now: string,
  limit: number,
  cursor?: Record<string, unknown>,
): Promise<{ watches: Watch[]; cursor?: Record<string, unknown> }> => {
  const page = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :b AND sk <= :now',
      ExpressionAttributeValues: { ':b': bucketKey(bucket), ':now': `${now}~` },
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  return {
    watches: (page.Items ?? []) as Watch[],
    ...(page.LastEvaluatedKey ? { cursor: page.LastEvaluatedKey } : {}),
  };
};

/** The watch moves to the next look at the order, or goes: a closed or breached order has none. */
export const moveWatch = async (watch: Watch, dueAt: string | undefined): Promise<void> => {
  if (dueAt === watch.dueAt) return;
  if (dueAt) {
    await documentClient().send(
      new PutCommand({ TableName: table(), Item: jeopardyWatch(watch.orderId, dueAt).item }),
    );
  }
  await documentClient().send(new DeleteCommand({ TableName: table(), Key: { pk: watch.pk, sk: watch.sk } }));
};

export const currentBucket = (now: string) => bucketOf(now);
