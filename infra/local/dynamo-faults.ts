import {
  type DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import type { TableName } from '#topology';
import type { DependencyError, LocalFaults } from './faults.ts';

const reads = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs of every operation, read by shape.
type Input = Record<string, any>;

const scalar = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : typeof (v as { S?: unknown })?.S === 'string'
      ? (v as { S: string }).S
      : undefined;

/** Every (table, partition key) a call touches, in both the plain and the document client's shape. */
const touched = (input: Input): { table: string; pk?: string }[] => {
  const one = (table: unknown, item: Input | undefined) => ({
    table: String(table),
    pk: scalar(item?.pk ?? item?.id),
  });
  if (Array.isArray(input.TransactItems)) {
    return input.TransactItems.flatMap((t: Input) =>
      Object.values(t).map((op: Input) => one(op.TableName, op.Key ?? op.Item)),
    );
  }
  if (input.RequestItems) {
    return Object.entries(input.RequestItems as Record<string, Input>).flatMap(([table, r]) =>
      Array.isArray(r)
        ? r.map((w: Input) => one(table, w.PutRequest?.Item ?? w.DeleteRequest?.Key))
        : ((r.Keys as Input[] | undefined) ?? []).map((k) => one(table, k)),
    );
  }
  return [one(input.TableName, input.Key ?? input.Item)];
};

const failure = (error: DependencyError): Error => {
  const message = 'Injected by the local faults API';
  switch (error) {
    case 'ProvisionedThroughputExceededException':
      return new ProvisionedThroughputExceededException({ message, $metadata: { httpStatusCode: 400 } });
    case 'ThrottlingException':
      return new ThrottlingException({ message, $metadata: { httpStatusCode: 400 } });
    case 'InternalServerError':
      return new InternalServerError({ message, $metadata: { httpStatusCode: 500 } });
    case 'TimeoutError':
      return Object.assign(new Error(message), { name: 'TimeoutError' });
  }
};

type Keys = { Keys?: Input[] } & Input;

/**
 * A fault limited to some partitions (a key prefix, e.g. the catalog's) inside a BatchGetItem
 * that also reads other partitions: DynamoDB throttles per partition and answers such a batch
 * with the other items and the failing keys in `UnprocessedKeys`; the call itself succeeds and
 * the SDK does not retry it. Only a batch whose every key fails fails as a whole (left to the
 * injection inside the retry loop). A keyed timeout or internal error is answered the same way:
 * it stands for that partition's dependency failing, not for the whole request.
 */
const injectPartialBatchFaults = (
  client: DynamoDBClient,
  faults: LocalFaults,
  logicalName: (physical: string) => TableName | undefined,
): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const requestItems = (args.input as Input).RequestItems as Record<string, Keys> | undefined;
      if (context.commandName !== 'BatchGetItemCommand' || !requestItems) return next(args);
      const keyed = (table: string) => {
        const name = logicalName(table);
        const fault = name ? faults.tables.get(name) : undefined;
        return name && fault?.keyPrefix && fault.error && fault.operations.includes('read')
          ? { name, prefix: fault.keyPrefix }
          : undefined;
      };
      const failing = (table: string, key: Input) => {
        const fault = keyed(table);
        return !!fault && (scalar(key.pk ?? key.id) ?? '').startsWith(fault.prefix);
      };
      const all = Object.entries(requestItems).flatMap(([t, r]) => (r.Keys ?? []).map((k) => failing(t, k)));
      if (all.every(Boolean) || !all.some(Boolean)) return next(args);
      const kept: Record<string, Keys> = {};
      const unprocessed: Record<string, Keys> = {};
      for (const [table, request] of Object.entries(requestItems)) {
        const keys = request.Keys ?? [];
        const failed = keys.filter((k) => failing(table, k));
        const name = keyed(table)?.name;
        const fault =
          failed.length > 0 && name
            ? faults.forTableCall(
                name,
                'read',
                failed.map((k) => scalar(k.pk ?? k.id) ?? ''),
              )
            : undefined;
        if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
        const served = fault ? keys.filter((k) => !failing(table, k)) : keys;
        if (served.length > 0) kept[table] = { ...request, Keys: served };
        if (fault) unprocessed[table] = { ...request, Keys: failed };
      }
      const result = await next({ ...args, input: { ...(args.input as Input), RequestItems: kept } });
      const output = result.output as Input;
      const already = (output.UnprocessedKeys ?? {}) as Record<string, Keys>;
      for (const [table, request] of Object.entries(unprocessed))
        already[table] = { ...request, Keys: [...(already[table]?.Keys ?? []), ...(request.Keys ?? [])] };
      output.UnprocessedKeys = already;
      return result;
    },
    { step: 'initialize', priority: 'low', name: 'localPartialBatchFaults' },
  );
};

/**
 * Injects the table faults into the handlers' DynamoDB client, inside the SDK's retry middleware:
 * an injected throttle is retried with backoff exactly as a real one is, and what the handler
 * finally sees is the real SDK exception class.
 */
export const injectTableFaults = (
  client: DynamoDBClient,
  faults: LocalFaults,
  logicalName: (physical: string) => TableName | undefined,
): void => {
  injectPartialBatchFaults(client, faults, logicalName);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      const kind = reads.has(operation) ? 'read' : 'write';
      const byTable = new Map<TableName, string[]>();
      for (const t of touched(args.input as Input)) {
        const name = logicalName(t.table);
        if (name) byTable.set(name, [...(byTable.get(name) ?? []), ...(t.pk ? [t.pk] : [])]);
      }
      for (const [table, keys] of byTable) {
        const fault = faults.forTableCall(table, kind, keys);
        if (!fault) continue;
        if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
        if (fault.error) throw failure(fault.error);
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'localFaultInjection' },
  );
};
