import { BatchGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/**
 * Durable counters for signals the data cannot tell afterwards (a replayed idempotent request
 * leaves no trace in the aggregates). Atomic ADD on one item per counter in the aggregates
 * table: pk `COUNTER#<name>`, sk `COUNTER` (no itemType: never in the byType index, never on
 * the outbox stream filter). Handlers call `countSignal` next to `metrics.addMetric`.
 */
export const counterNames = [
  'duplicateSubmitAttempts',
  'duplicateConversionAttempts',
  'conversionFailures',
  'approvalInvalidations',
  'deadLetteredEvents',
] as const;
export type CounterName = (typeof counterNames)[number];

const key = (name: CounterName) => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' });

export const countSignal = async (
  name: CounterName,
  by = 1,
  now = new Date().toISOString(),
): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: env.table('aggregates'),
      Key: key(name),
      UpdateExpression: 'ADD #v :by SET updatedAt = :now',
      ExpressionAttributeNames: { '#v': 'value' },
      ExpressionAttributeValues: { ':by': by, ':now': now },
    }),
  );
};

/** Best effort for the caller: a counter must never fail the command it counts. */
export const countSignalQuietly = (name: CounterName, by = 1): Promise<void> =>
  countSignal(name, by).catch(() => undefined);

export const readCounters = async (): Promise<Record<CounterName, { value: number; updatedAt?: string }>> => {
  const table = env.table('aggregates');
  const res = await documentClient().send(
    new BatchGetCommand({ RequestItems: { [table]: { Keys: counterNames.map(key), ConsistentRead: true } } }),
  );
  const found = new Map(
    (res.Responses?.[table] ?? []).map((i) => [String(i.pk).slice('COUNTER#'.length), i]),
  );
  return Object.fromEntries(
    counterNames.map((n) => [
      n,
      { value: Number(found.get(n)?.value ?? 0), updatedAt: found.get(n)?.updatedAt as string | undefined },
    ]),
  ) as Record<CounterName, { value: number; updatedAt?: string }>;
};
