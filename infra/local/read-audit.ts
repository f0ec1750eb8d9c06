import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { api, type FunctionName } from '#topology';

export type FullRead = {
  function: FunctionName;
  command: string;
  table?: string;
  index?: string;
  at: string;
};

const invocation = new AsyncLocalStorage<{ function: FunctionName }>();
const requestHandlers = new Set<FunctionName>(api.routes.map((r) => r.function));

/** Runs a handler invocation so that DynamoDB calls made within it know which function made them. */
export const withinFunction = <R>(name: FunctionName, fn: () => Promise<R>): Promise<R> =>
  invocation.run({ function: name }, fn);

/** A full read: any Scan, or a Query without a Limit (its pages grow with the partition). */
export const isFullRead = (command: string, input: { Limit?: number }): boolean =>
  command === 'ScanCommand' ||
  (command === 'QueryCommand' && !(typeof input.Limit === 'number' && input.Limit > 0));

/**
 * Records every full read a request handler (a function behind an API route) issues on the
 * handlers' DynamoDB client. Workflow steps and stream consumers are not requests: not recorded.
 */
export class ReadAudit {
  readonly fullReads: FullRead[] = [];

  install(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const fn = invocation.getStore()?.function;
        const input = args.input as { Limit?: number; TableName?: string; IndexName?: string };
        if (fn && requestHandlers.has(fn) && isFullRead(String(context.commandName), input)) {
          this.fullReads.push({
            function: fn,
            command: String(context.commandName),
            table: input.TableName,
            index: input.IndexName,
            at: new Date().toISOString(),
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'readAudit', override: true },
    );
  }
}
