import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { OutboxEvent } from '#adapters/aggregate-store';
import { type AggregateKind, saveAggregate } from '#adapters/aggregate-store';
import { imageAsLambda } from '#local/stream-images';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

let sequence = 1_000_000;

/** The stream record Lambda would deliver for an item (an INSERT with its new image). */
export const insertRecord = (item: Record<string, unknown>): DynamoDBRecord => ({
  eventID: randomUUID(),
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  eventVersion: '1.1',
  awsRegion: 'us-east-1',
  dynamodb: {
    Keys: marshall({ pk: item.pk, sk: item.sk }) as Record<string, AttributeValue> as never,
    NewImage: imageAsLambda(marshall(item, { removeUndefinedValues: true }) as never) as never,
    SequenceNumber: String(++sequence),
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

export const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

export const lambdaContext = (): Context =>
  ({
    functionName: 'projector',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:projector',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/projector',
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

/** Saves an aggregate version with its events (outbox items), as the command side does. */
export const saveVersion = async (
  kind: AggregateKind,
  id: string,
  expectedVersion: number,
  aggregate: Record<string, unknown>,
  events: OutboxEvent[],
  now = new Date().toISOString(),
  attributes: Record<string, string | number> = {},
) =>
  saveAggregate({
    kind,
    id,
    expectedVersion,
    aggregate,
    events,
    correlationId: randomUUID(),
    now,
    attributes,
  });

/** The outbox items of one aggregate, in version order. */
export const outboxItems = async (kind: AggregateKind, id: string) => {
  const res = await documentClient().send(
    new QueryCommand({
      TableName: env.table('aggregates'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `OUTBOX#${kind}#${id}` },
      ConsistentRead: true,
    }),
  );
  return (res.Items ?? []) as Record<string, unknown>[];
};

/** A quote's life as events: create → submit (pending + approval request) → approve → accept. */
export const saveQuoteLife = async (opts: {
  quoteId: string;
  accountId: string;
  channelId: string;
  until?: 'created' | 'pending' | 'approved' | 'accepted';
  endDateTime?: string;
}) => {
  const { quoteId, accountId, channelId } = opts;
  const until = opts.until ?? 'accepted';
  const end = opts.endDateTime ?? new Date(Date.now() + 3 * 86_400_000).toISOString();
  const header = (state: string) => ({
    id: quoteId,
    state,
    channelId,
    accountId,
    currency: 'USD',
    validFor: { startDateTime: new Date().toISOString(), endDateTime: end },
  });
  const quote = (state: string) => ({
    id: quoteId,
    state,
    channelId,
    customer: { accountId, name: 'Acme' },
    validFor: header(state).validFor,
    approval: { requests: [], decisions: [], invalidations: [] },
    lines: [],
  });
  const attrs = (state: string) => ({ channelId, state, accountId });
  let v = await saveVersion(
    'QUOTE',
    quoteId,
    0,
    quote('inProgress'),
    [{ eventType: 'QuoteCreateEvent', domain: 'quote', resource: { ...header('inProgress'), lineCount: 1 } }],
    undefined,
    attrs('inProgress'),
  );
  if (until === 'created') return v;
  const submittedAt = new Date().toISOString();
  v = await saveVersion(
    'QUOTE',
    quoteId,
    v,
    quote('pending'),
    [
      {
        eventType: 'QuoteStateChangeEvent',
        domain: 'quote',
        resource: { ...header('pending'), previousState: 'inProgress' },
      },
      {
        eventType: 'QuoteApprovalRequestedEvent',
        domain: 'quote',
        resource: {
          ...header('pending'),
          approvalRequest: {
            id: `req-${quoteId}`,
            reasonCodes: ['DISCOUNT_ABOVE_FLOOR'],
            policyVersion: 'deal-policy-1',
            submittedAt,
            dueAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
        },
      },
    ],
    undefined,
    attrs('pending'),
  );
  if (until === 'pending') return v;
  v = await saveVersion(
    'QUOTE',
    quoteId,
    v,
    quote('approved'),
    [
      {
        eventType: 'QuoteApprovalDecidedEvent',
        domain: 'quote',
        resource: {
          ...header('approved'),
          approvalDecision: { id: `dec-${quoteId}`, requestId: `req-${quoteId}`, decision: 'APPROVE' },
        },
      },
      {
        eventType: 'QuoteStateChangeEvent',
        domain: 'quote',
        resource: { ...header('approved'), previousState: 'pending' },
      },
    ],
    undefined,
    attrs('approved'),
  );
  if (until === 'approved') return v;
  return saveVersion(
    'QUOTE',
    quoteId,
    v,
    quote('accepted'),
    [
      {
        eventType: 'QuoteAcceptedEvent',
        domain: 'quote',
        resource: { ...header('accepted'), acceptance: { id: `acc-${quoteId}` } },
      },
    ],
    undefined,
    attrs('accepted'),
  );
};
