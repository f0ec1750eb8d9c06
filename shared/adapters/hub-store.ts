import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '#domain/errors';
import { healthy, type SubscriptionHealth } from '#domain/notification/delivery-budget';
import {
  assertSubscriptionRoom,
  type HubApi,
  type HubSubscription,
  maxSubscriptionsPerChannel,
} from '#domain/notification/hub';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/** Subscriptions live beside the aggregates, one partition per API and channel. */
const partition = (api: HubApi, channelId: string) => `HUB#${api}#${channelId}`;
const subKey = (api: HubApi, channelId: string, id: string) => ({
  pk: partition(api, channelId),
  sk: `SUB#${id}`,
});

export const listSubscriptions = async (api: HubApi, channelId: string): Promise<HubSubscription[]> => {
  const res = await documentClient().send(
    new QueryCommand({
      TableName: env.table('aggregates'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
      ExpressionAttributeValues: { ':pk': partition(api, channelId), ':sub': 'SUB#' },
      Limit: maxSubscriptionsPerChannel + 1,
    }),
  );
  return (res.Items ?? []).map((item) => item.subscription as HubSubscription);
};

export const saveSubscription = async (sub: HubSubscription): Promise<void> => {
  const existing = await listSubscriptions(sub.api, sub.channelId);
  assertSubscriptionRoom(existing.length);
  await documentClient().send(
    new PutCommand({
      TableName: env.table('aggregates'),
      Item: { ...subKey(sub.api, sub.channelId, sub.id), itemType: 'hubSubscription', subscription: sub },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

/** Another channel's subscription id is indistinguishable from an absent one. */
export const deleteSubscription = async (api: HubApi, channelId: string, id: string): Promise<void> => {
  try {
    await documentClient().send(
      new DeleteCommand({
        TableName: env.table('aggregates'),
        Key: subKey(api, channelId, id),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      throw new DomainError('NOT_FOUND', `Subscription ${id} not found`);
    }
    throw error;
  }
};

// ---- delivery log ----------------------------------------------------------------------------

/** SKIPPED: not tried, the subscription is backing off or suspended (`deliveryBudget`). */
export type DeliveryOutcome = 'DELIVERED' | 'FAILED_ATTEMPT' | 'DEAD_LETTER' | 'SKIPPED' | 'SUSPENDED';
export type DeliveryRecord = {
  subscriptionId: string;
  channelId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  outcome: DeliveryOutcome;
  status?: number;
  error?: string;
  at: string;
};

const deliveryRetentionSeconds = 14 * 24 * 3600;

export const recordDelivery = async (record: DeliveryRecord): Promise<void> => {
  await documentClient().send(
    new PutCommand({
      TableName: env.table('readModels'),
      Item: {
        pk: `HUBLOG#${record.subscriptionId}`,
        sk: `${record.at}#${record.eventId}#${record.attempt}`,
        ...record,
        expiresAt: Math.floor(Date.parse(record.at) / 1000) + deliveryRetentionSeconds,
      },
    }),
  );
};

/** Newest first, one page; `cursor` is the opaque continuation of the previous page. */
export const listDeliveries = async (
  subscriptionId: string,
  limit: number,
  cursor?: string,
): Promise<{ items: DeliveryRecord[]; cursor?: string }> => {
  const res = await documentClient().send(
    new QueryCommand({
      TableName: env.table('readModels'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `HUBLOG#${subscriptionId}` },
      ScanIndexForward: false,
      Limit: limit,
      ...(cursor
        ? {
            ExclusiveStartKey: {
              pk: `HUBLOG#${subscriptionId}`,
              sk: Buffer.from(cursor, 'base64url').toString(),
            },
          }
        : {}),
    }),
  );
  const items = (res.Items ?? []).map(
    ({ pk: _pk, sk: _sk, expiresAt: _e, ...rest }) => rest as DeliveryRecord,
  );
  const next = res.LastEvaluatedKey?.sk as string | undefined;
  return next ? { items, cursor: Buffer.from(next).toString('base64url') } : { items };
};

// ---- subscription health (delivery budget) ---------------------------------------------------

/** Beside the delivery log (the dispatcher writes only `HUBLOG#` keys), not in its partition. */
const healthKey = (subscriptionId: string) => ({ pk: `HUBLOG#${subscriptionId}#health`, sk: 'HEALTH' });

/**
 * The health of each subscription (a channel holds a bounded number): one GetItem each, the only
 * read the dispatcher's grant allows, and only under its own `HUBLOG#` keys.
 */
export const loadHealth = async (subscriptionIds: string[]): Promise<Map<string, SubscriptionHealth>> => {
  const table = env.table('readModels');
  const read = await Promise.all(
    subscriptionIds.map(async (id) => {
      const res = await documentClient().send(new GetCommand({ TableName: table, Key: healthKey(id) }));
      return [id, (res.Item?.health as SubscriptionHealth | undefined) ?? healthy] as const;
    }),
  );
  return new Map(read);
};

export const saveHealth = async (subscriptionId: string, health: SubscriptionHealth): Promise<void> => {
  await documentClient().send(
    new PutCommand({
      TableName: env.table('readModels'),
      Item: { ...healthKey(subscriptionId), subscriptionId, health },
    }),
  );
};
