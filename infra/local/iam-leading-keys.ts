import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type FunctionName,
  type FunctionSpec,
  functions,
  idempotencyKeyPrefixes,
  type TableName,
} from '#topology';

/** The function whose handler is running (handlers share one process and one SDK client locally). */
export const invocationScope = new AsyncLocalStorage<FunctionName>();

/**
 * Partition-key prefixes a function may write in a table, exactly as the CDK app grants them
 * (infra/constructs/functions.ts): its `writesKeys`, and on the idempotency table its own
 * `<operation>#` records. Undefined: the grant is not key-scoped.
 */
export const writablePrefixes = (fn: FunctionName, table: TableName): string[] | undefined =>
  table === 'idempotency' ? idempotencyKeyPrefixes(fn) : (functions[fn] as FunctionSpec).writesKeys?.[table];

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs of every write operation, read by shape.
type Input = Record<string, any>;
const writeOperations = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
const partitionKey = (item: Input | undefined): string | undefined => {
  const v = item?.pk ?? item?.id;
  return typeof v === 'string' ? v : typeof v?.S === 'string' ? v.S : undefined;
};

/** Every (table, partition key) a write call writes; condition checks write nothing. */
const written = (operation: string, input: Input): { table: string; pk?: string }[] => {
  if (operation === 'TransactWriteItems')
    return (input.TransactItems as Input[]).flatMap((t) =>
      Object.entries(t)
        .filter(([op]) => op !== 'ConditionCheck')
        .map(([, op]) => ({ table: String(op.TableName), pk: partitionKey(op.Key ?? op.Item) })),
    );
  if (operation === 'BatchWriteItem')
    return Object.entries(input.RequestItems as Record<string, Input[]>).flatMap(([table, writes]) =>
      writes.map((w) => ({ table, pk: partitionKey(w.PutRequest?.Item ?? w.DeleteRequest?.Key) })),
    );
  return [{ table: String(input.TableName), pk: partitionKey(input.Key ?? input.Item) }];
};

export class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
  readonly $metadata = { httpStatusCode: 400 };
}

/**
 * IAM `dynamodb:LeadingKeys` as AWS evaluates it, on the handlers' DynamoDB client: a write by a
 * function outside its key prefixes is AccessDeniedException, so a wrong `writesKeys` fails the
 * local tests instead of production.
 */
export const enforceLeadingKeys = (
  client: DynamoDBClient,
  logicalName: (physical: string) => TableName | undefined,
): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fn = invocationScope.getStore();
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      if (fn && writeOperations.has(operation)) {
        for (const { table, pk } of written(operation, args.input as Input)) {
          const logical = logicalName(table);
          const prefixes = logical ? writablePrefixes(fn, logical) : undefined;
          if (prefixes && !(pk && prefixes.some((p) => pk.startsWith(p))))
            throw new AccessDeniedException(
              `${fn} is not authorized to perform dynamodb:${operation} on ${logical} key ${pk} (dynamodb:LeadingKeys ${prefixes.join(', ')})`,
            );
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'localIamLeadingKeys', priority: 'high' },
  );
};
