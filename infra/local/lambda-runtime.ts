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
import { checkInvocationRequest, checkInvocationResponse } from './service-limits.ts';

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

/**
 * The handler ran past its function's timeout: Lambda stops the invocation and reports no error
 * type of the function's own, so Step Functions names it `Lambda.Unknown` with Lambda's payload
 * (`Sandbox.Timedout`) as the cause, and API Gateway answers its integration failure.
 */
export class LambdaTimedOut extends Error {
  override readonly name = 'Lambda.Unknown';
  constructor(requestId: string, timeoutSeconds: number) {
    const payload = {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
    };
    super(
      `The cause could not be determined because Lambda did not return an error type. Returned payload: ${JSON.stringify(payload)}`,
    );
  }
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
  /** Executions running now, per function (what reserved concurrency caps). */
  readonly inFlight = new Map<FunctionName, number>();
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
    checkInvocationRequest(event);
    const timeoutSeconds = spec.timeoutSeconds ?? 10;
    const deadline = Date.now() + timeoutSeconds * 1000;
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
    // Not time-scaled: handlers do real work (DynamoDB, HTTP) in real time, as in AWS.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new LambdaTimedOut(context.awsRequestId, timeoutSeconds)),
        timeoutSeconds * 1000,
      );
    });
    const invocation = this.run<R>(name, handler, event, context);
    // At its timeout the invocation is abandoned, as Lambda abandons it: its late outcome goes nowhere.
    invocation.catch(() => undefined);
    try {
      return await Promise.race([invocation, timedOut]);
    } catch (error) {
      stats.errors++;
      throw error;
    } finally {
      clearTimeout(timer);
      this.inFlight.set(name, (this.inFlight.get(name) ?? 1) - 1);
    }
  }

  /** One invocation with the function's injected faults (FIS): a startup delay counts against its timeout. */
  private async run<R>(name: FunctionName, handler: Handler, event: unknown, context: Context): Promise<R> {
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
    checkInvocationResponse(result);
    return result;
  }
}
