import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { listKeyOf, typeShardKey } from '#domain/access/list-keys';
import { DomainError } from '#domain/errors';
import { documentClient } from '#plumbing/clients';
import { isDependencyOutage } from '#plumbing/dependency-outage';
import { env } from '#plumbing/env';
import { DependencyUnavailable } from '#plumbing/http/http-error';
import { packedEnvelope } from './outbox-item.ts';
import { pack, packedName, unpacked } from './packed-data.ts';

export type AggregateKind = 'QUOTE' | 'ORDER' | 'CATALOG' | 'RECON' | 'PRODUCT' | 'APPROVER';

/** The envelope every outbox item carries; the publisher sends it as the EventBridge detail. */
export type EventEnvelope = {
  eventId: string;
  eventTime: string;
  eventType: string;
  domain: string;
  correlationId: string;
  aggregateType: AggregateKind;
  aggregateId: string;
  aggregateVersion: number;
  resource: Record<string, unknown>;
};

/**
 * An event as the store writes it to the outbox. The domain's `DomainEvent` is one; the store
 * asks no more of it than a name, a domain and a body.
 */
export type OutboxEvent = { eventType: string; domain: string; resource: object };

/** Another item written in the same transaction (conversion record, audit record, ...). */
export type ExtraItem = {
  item: Record<string, unknown>;
  mustNotExist?: boolean;
  /** Written only over an item whose attribute holds this value (a read-then-write on another record). */
  expect?: { attribute: string; value: string | number };
};

export type SaveInput<T> = {
  kind: AggregateKind;
  id: string;
  /** 0 when the aggregate is new. */
  expectedVersion: number;
  aggregate: T;
  events: readonly OutboxEvent[];
  correlationId: string;
  now: string;
  /** Indexed attributes for listing (channel, state, quote id, ...). */
  attributes?: Record<string, unknown>;
  extraItems?: ExtraItem[];
  /** The document is stored compressed (packed-data.ts); a plain one written before is removed. */
  packed?: boolean;
};

/** The condition of the extra item at `index` failed: the caller knows what that means. */
export class ExtraItemConflict extends Error {
  override readonly name = 'ExtraItemConflict';
  constructor(
    readonly index: number,
    readonly existing: Record<string, unknown> | undefined,
  ) {
    super(`Conditional item ${index} already exists`);
  }
}

/**
 * Only a lost claim needs the attribute-format decoder: it is loaded then, not at the init of
 * every function that reads or writes aggregates.
 */
const reasonItem = async (
  item: Record<string, unknown> | undefined,
): Promise<Record<string, unknown> | undefined> => {
  if (!item) return undefined;
  const { unmarshall } = await import('@aws-sdk/util-dynamodb');
  return unmarshall(item as Parameters<typeof unmarshall>[0]);
};

export class VersionConflict extends DomainError {
  constructor(kind: AggregateKind, id: string) {
    super('VERSION_CONFLICT', `${kind.toLowerCase()} ${id} was changed by another request; read it again`);
  }
}

const outboxRetentionSeconds = 7 * 24 * 3600;
const pad = (n: number) => String(n).padStart(10, '0');
export const aggregateKey = (kind: AggregateKind, id: string) => ({ pk: `${kind}#${id}`, sk: 'A' });

export type Stored<T> = { aggregate: T; version: number };

export const loadAggregate = async <T>(kind: AggregateKind, id: string): Promise<Stored<T> | undefined> => {
  const res = await documentClient()
    .send(
      new GetCommand({
        TableName: env.table('aggregates'),
        Key: aggregateKey(kind, id),
        ConsistentRead: true,
      }),
    )
    .catch(unavailable);
  if (!res.Item) return undefined;
  return { aggregate: unpacked<T>(res.Item), version: res.Item.version as number };
};

export type AggregateRef = { kind: AggregateKind; id: string };

/**
 * One aggregate of a batch read: stored, absent (undefined), or DependencyUnavailable thrown;
 * `item` is the same as the item read, with its own attributes (a paged header names its pages).
 */
export type AggregateRead = (<T>() => Stored<T> | undefined) & {
  item: () => Record<string, unknown> | undefined;
};

/** Attempts for keys DynamoDB leaves unprocessed, as many as the client's `maxAttempts`. */
export const batchReadAttempts = 3;
/** Full-jitter exponential backoff with the SDK's base delay, as its own retries wait. */
const backoff = (retry: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** retry));

/**
 * Several aggregates in one consistent BatchGetItem (one request where a GetItem each would be
 * several). DynamoDB throttles per partition: a key it leaves unprocessed is asked again with
 * backoff, and one still unprocessed after the attempts is unavailable on its own, exactly as its
 * GetItem failing after the SDK's retries would be; the others are still read.
 */
export const loadAggregates = async (refs: readonly AggregateRef[]): Promise<AggregateRead[]> => {
  const table = env.table('aggregates');
  const pks = refs.map((ref) => aggregateKey(ref.kind, ref.id).pk);
  const found = new Map<string, Record<string, unknown>>();
  let pending = [...new Set(pks)].map((pk) => ({ pk, sk: 'A' }));
  let failure = '';
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > batchReadAttempts) {
      failure = `${pending.length} key(s) still unprocessed after ${batchReadAttempts} attempts`;
      break;
    }
    if (attempt > 1) await backoff(attempt - 1);
    try {
      const res = await documentClient().send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of res.Responses?.[table] ?? []) found.set(item.pk as string, item);
      pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as typeof pending;
    } catch (error) {
      if (!(await isDependencyOutage(error))) throw error;
      failure = (error as Error).name;
      break;
    }
  }
  const unread = new Set(pending.map((key) => key.pk));
  return pks.map((pk) => {
    const item = () => {
      if (unread.has(pk)) throw new DependencyUnavailable(`DynamoDB unavailable: ${failure}`);
      return found.get(pk);
    };
    const read = <T>(): Stored<T> | undefined => {
      const stored = item();
      return stored && { aggregate: unpacked<T>(stored), version: stored.version as number };
    };
    return Object.assign(read, { item });
  });
};

/** Still failing after the SDK's own retries because DynamoDB is busy or unreachable: 503. */
export const unavailable = async (error: unknown): Promise<never> => {
  if (await isDependencyOutage(error))
    throw new DependencyUnavailable(`DynamoDB unavailable: ${(error as Error).name}`);
  throw error;
};

type Condition = {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD';
};

const extraCondition = (extra: ExtraItem): Condition => {
  const failure = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const };
  if (extra.mustNotExist) return { ConditionExpression: 'attribute_not_exists(pk)', ...failure };
  if (extra.expect)
    return {
      ConditionExpression: '#expected = :expected',
      ExpressionAttributeNames: { '#expected': extra.expect.attribute },
      ExpressionAttributeValues: { ':expected': extra.expect.value },
      ...failure,
    };
  return {};
};

/**
 * Writes the aggregate (version-conditional), its events as outbox items and any extra items in
 * one transaction: state and event change together or not at all.
 */
export const saveAggregate = async <T extends object>(input: SaveInput<T>): Promise<number> => {
  const table = env.table('aggregates');
  const version = input.expectedVersion + 1;
  const key = aggregateKey(input.kind, input.id);
  const envelopes: EventEnvelope[] = input.events.map((e) => ({
    eventId: randomUUID(),
    eventTime: input.now,
    eventType: e.eventType,
    domain: e.domain,
    correlationId: input.correlationId,
    aggregateType: input.kind,
    aggregateId: input.id,
    aggregateVersion: version,
    resource: e.resource as Record<string, unknown>,
  }));
  const attributes: Record<string, unknown> = {
    itemType: input.kind.toLowerCase(),
    typeShard: typeShardKey(input.kind.toLowerCase(), input.id),
    updatedAt: input.now,
    version,
    ...(input.attributes ?? {}),
    ...(input.packed
      ? { [packedName('data')]: pack({ ...input.aggregate, version }) }
      : { data: { ...input.aggregate, version } }),
  };
  // New aggregates are put; existing ones are updated so attributes written once (createdAt and
  // listKey, which every list index sorts on) survive every later change.
  const aggregateWrite: NonNullable<TransactWriteCommandInput['TransactItems']>[number] =
    input.expectedVersion === 0
      ? {
          Put: {
            TableName: table,
            Item: { ...key, ...attributes, createdAt: input.now, listKey: listKeyOf(input.now, input.id) },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        }
      : {
          Update: {
            TableName: table,
            Key: key,
            UpdateExpression: `SET ${Object.keys(attributes)
              .map((_, i) => `#a${i} = :a${i}`)
              .join(', ')}${input.packed ? ' REMOVE #plain' : ''}`,
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: {
              '#version': 'version',
              ...(input.packed ? { '#plain': 'data' } : {}),
              ...Object.fromEntries(Object.keys(attributes).map((name, i) => [`#a${i}`, name])),
            },
            ExpressionAttributeValues: {
              ':expected': input.expectedVersion,
              ...Object.fromEntries(Object.values(attributes).map((value, i) => [`:a${i}`, value])),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        };
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    aggregateWrite,
    ...(input.extraItems ?? []).map((extra) => ({
      Put: { TableName: table, Item: extra.item, ...extraCondition(extra) },
    })),
    ...envelopes.map((envelope, i) => ({
      Put: {
        TableName: table,
        Item: {
          pk: `OUTBOX#${input.kind}#${input.id}`,
          sk: `${pad(version)}#${pad(i)}`,
          itemType: 'outbox',
          typeShard: typeShardKey('outbox', `${input.kind}#${input.id}`),
          listKey: listKeyOf(input.now, `${input.kind}#${input.id}#${pad(version)}#${pad(i)}`),
          createdAt: input.now,
          expiresAt: Math.floor(Date.parse(input.now) / 1000) + outboxRetentionSeconds,
          ...packedEnvelope(envelope),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
  ];
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new VersionConflict(input.kind, input.id);
      const extraIndex = reasons.findIndex((r, i) => i > 0 && r.Code === 'ConditionalCheckFailed');
      if (extraIndex > 0 && extraIndex <= (input.extraItems?.length ?? 0)) {
        throw new ExtraItemConflict(
          extraIndex - 1,
          // Cancellation reasons come back in the low-level attribute format, even from lib-dynamodb.
          await reasonItem(reasons[extraIndex]?.Item),
        );
      }
      if (reasons.some((r) => r.Code === 'TransactionConflict'))
        throw new VersionConflict(input.kind, input.id);
    }
    return unavailable(error);
  }
  return version;
};
