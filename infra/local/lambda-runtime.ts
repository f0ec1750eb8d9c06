import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type FunctionName, type FunctionSpec, functions } from '#topology';
import { LocalFaults } from './faults.ts';
import type { IamEnforcement, InvokedBy } from './iam-enforcement.ts';
import { invocationScope } from './invocation-scope.ts';
import { localFunctionArn } from './local-aws.ts';
import { withinFunction } from './read-audit.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export type Invocation = { function: FunctionName; ms: number; error?: string };

/**
 * Lambda refused the invocation: the function's reserved concurrency is in use. Step Functions
 * sees it as `Lambda.TooManyRequestsException`; API Gateway answers its integration-failure response.
 */
export class LambdaThrottled extends Error {
  override readonly name = 'Lambda.TooManyRequestsException';
  readonly statusCode = 429;
}

/** What AWS FIS's aws:lambda:invocation-error makes an invocation fail with. */
export class InjectedInvocationError extends Error {
  override readonly name = 'InjectedInvocationError';
}

/** FIS's aws:lambda:invocation-http-integration-response: the caller gets this status instead. */
export class InjectedIntegrationResponse extends Error {
  override readonly name = 'InjectedIntegrationResponse';
  constructor(readonly statusCode: number) {
    super(`Injected integration response ${statusCode}`);
  }
}

/**
 * Runs the topology's handlers in this process with a Lambda-like context. Handlers are loaded
 * on first use from the same entry files the CDK app bundles.
 */
export class LambdaRuntime {
  private readonly loaded = new Map<FunctionName, Promise<Handler>>();
  readonly invocations = new Map<FunctionName, { count: number; errors: number; throttles: number }>();
  private readonly inFlight = new Map<FunctionName, number>();
  /** IAM of the synthesized template: who may invoke a function, and what its handler may call. */
  iam?: IamEnforcement;

  constructor(
    private readonly root: string,
    readonly faults = new LocalFaults(),
  ) {}

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

  /** `invokedBy`: the service or role that invokes, authorized as AWS authorizes lambda:InvokeFunction. */
  async invoke<R = unknown>(name: FunctionName, event: unknown, invokedBy?: InvokedBy): Promise<R> {
    if (invokedBy && this.iam) await this.iam.authorizeInvocation(invokedBy, name);
    const spec: FunctionSpec = functions[name];
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
    const stats = this.invocations.get(name) ?? { count: 0, errors: 0, throttles: 0 };
    this.invocations.set(name, stats);
    // Bulkhead: as in AWS, reserved concurrency caps the function's concurrent executions.
    const running = this.inFlight.get(name) ?? 0;
    if (spec.reservedConcurrency !== undefined && running >= spec.reservedConcurrency) {
      stats.throttles++;
      throw new LambdaThrottled(`Rate Exceeded: reserved concurrency ${spec.reservedConcurrency} of ${name}`);
    }
    stats.count++;
    this.inFlight.set(name, running + 1);
    const handler = await this.load(name);
    try {
      const fault = this.faults.forInvocation(name);
      if (fault?.startupDelayMilliseconds)
        await new Promise((r) => setTimeout(r, fault.startupDelayMilliseconds));
      const failure =
        fault?.statusCode !== undefined
          ? new InjectedIntegrationResponse(fault.statusCode)
          : fault?.error
            ? new InjectedInvocationError(`Injected error in ${name}`)
            : undefined;
      if (failure && fault?.preventExecution) throw failure;
      const result = (await withinFunction(name, () =>
        invocationScope.run(name, () => handler(structuredClone(event), context)),
      )) as R;
      if (failure) throw failure;
      return result;
    } catch (error) {
      stats.errors++;
      throw error;
    } finally {
      this.inFlight.set(name, (this.inFlight.get(name) ?? 1) - 1);
    }
  }
}
