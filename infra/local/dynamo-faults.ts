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
