import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SourceState } from '#domain/projections/staleness';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { aggregateKey } from './aggregate-store.ts';

/** The order aggregate's version and channel only: how a view learns it is behind. */
export const orderSourceState = async (orderId: string): Promise<SourceState | undefined> => {
  const res = await documentClient().send(
    new GetCommand({
      TableName: env.table('aggregates'),
      Key: aggregateKey('ORDER', orderId),
      // The order's channel is a plain attribute beside its (compressed) document.
      ProjectionExpression: '#v, channelId',
      ExpressionAttributeNames: { '#v': 'version' },
    }),
  );
  if (!res.Item) return undefined;
  return { version: Number(res.Item.version), channelId: String(res.Item.channelId ?? '') };
};
