import { asyncFunctions, asyncInvocation, type FunctionName, onFailureQueueOf } from '#topology';
import type { InvokedBy } from './iam-enforcement.ts';
import { type LambdaRuntime, LambdaThrottled } from './lambda-runtime.ts';
import { localFunctionArn } from './local-aws.ts';

/** The record Lambda sends to an on-failure destination once an event's attempts are spent. */
export type AsyncFailureRecord = {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetriesExhausted' | 'EventAgeExceeded';
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext: { statusCode: 200; executedVersion: '$LATEST'; functionError: 'Unhandled' };
  responsePayload: { errorType: string; errorMessage: string };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Lambda's asynchronous invocation (InvocationType Event), as EventBridge rules and Scheduler
 * use it: the caller gets no answer; a failed run is retried twice after Lambda's pauses (scaled
 * by the stack's time scale), then the event goes to the function's on-failure destination
 * queue. A throttled run is no attempt: it waits and tries again until the event is too old.
 */
export class AsyncInvoker {
  /** Contents of each function's on-failure destination queue (by the topology's queue name). */
  readonly destinations = new Map<string, AsyncFailureRecord[]>(
    asyncFunctions.map((fn) => [onFailureQueueOf(fn), []]),
  );
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly runtime: LambdaRuntime,
    private readonly timeScale: number,
  ) {}

  /** `invokedBy`: the rule or schedule, authorized as AWS authorizes its lambda:InvokeFunction. */
  invoke(name: FunctionName, event: unknown, invokedBy: InvokedBy): void {
    const queue = this.destinations.get(onFailureQueueOf(name));
    if (!queue) throw new Error(`${name} is not invoked asynchronously in the topology`);
    const run = this.attempts(name, event, invokedBy, queue).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async attempts(
    name: FunctionName,
    event: unknown,
    invokedBy: InvokedBy,
    queue: AsyncFailureRecord[],
  ): Promise<void> {
    const requestId = crypto.randomUUID();
    const expiresAt = Date.now() + asyncInvocation.maxEventAgeSeconds * 1000 * this.timeScale;
    const pauses = asyncInvocation.retryDelaysSeconds.map((s) => s * 1000 * this.timeScale);
    let invokeCount = 0;
    let last: Error | undefined;
    for (;;) {
      try {
        await this.runtime.invoke(name, event, invokedBy);
        return;
      } catch (error) {
        last = error as Error;
        if (error instanceof LambdaThrottled) {
          if (Date.now() >= expiresAt) break;
          await sleep(pauses[0] ?? 0);
          continue;
        }
        invokeCount++;
        if (invokeCount > asyncInvocation.retryAttempts) break;
        await sleep(pauses[invokeCount - 1] ?? 0);
      }
    }
    queue.push({
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId,
        functionArn: `${localFunctionArn(name)}:$LATEST`,
        condition: last instanceof LambdaThrottled ? 'EventAgeExceeded' : 'RetriesExhausted',
        approximateInvokeCount: invokeCount,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: last?.name ?? 'Error', errorMessage: last?.message ?? '' },
    });
  }

  /** Messages waiting in each on-failure destination queue. */
  depths(): Record<string, number> {
    return Object.fromEntries([...this.destinations].map(([queue, records]) => [queue, records.length]));
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
