import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type FunctionName, functions } from '#topology';
import { localFunctionArn } from './local-aws.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export type Invocation = { function: FunctionName; ms: number; error?: string };

/**
 * Runs the topology's handlers in this process with a Lambda-like context. Handlers are loaded
 * on first use from the same entry files the CDK app bundles.
 */
export class LambdaRuntime {
  private readonly loaded = new Map<FunctionName, Promise<Handler>>();
  readonly invocations = new Map<FunctionName, { count: number; errors: number }>();

  constructor(private readonly root: string) {}

  private load(name: FunctionName): Promise<Handler> {
    let handler = this.loaded.get(name);
    if (!handler) {
      const file = resolve(this.root, functions[name].entry);
      handler = import(pathToFileURL(file).href).then((m: { handler?: Handler }) => {
        if (typeof m.handler !== 'function') throw new Error(`${file} does not export a handler`);
        return m.handler;
      });
      this.loaded.set(name, handler);
    }
    return handler;
  }

  async preload(): Promise<void> {
    await Promise.all((Object.keys(functions) as FunctionName[]).map((n) => this.load(n)));
  }

  async invoke<R = unknown>(name: FunctionName, event: unknown): Promise<R> {
    const spec = functions[name] as { timeoutSeconds?: number; memoryMb?: number };
    const deadline = Date.now() + (spec.timeoutSeconds ?? 10) * 1000;
    const context = {
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: localFunctionArn(name),
      memoryLimitInMB: String(spec.memoryMb ?? 512),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } satisfies Context;
    const stats = this.invocations.get(name) ?? { count: 0, errors: 0 };
    stats.count++;
    this.invocations.set(name, stats);
    const handler = await this.load(name);
    try {
      return (await handler(structuredClone(event), context)) as R;
    } catch (error) {
      stats.errors++;
      throw error;
    }
  }
}
