import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AsyncInvoker } from '#local/async-invoker';
import { functionFaultSchema } from '#local/faults';
import { LambdaRuntime } from '#local/lambda-runtime';
import { LocalScheduler } from '#local/scheduler';
import { onFailureQueueOf, schedules } from '#topology';

const root = resolve(import.meta.dirname, '../../..');

describe('local asynchronous invocations (Scheduler targets)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a scheduled run that keeps failing is retried twice after Lambda’s pauses, then lands in the on-failure destination', async () => {
    const runtime = new LambdaRuntime(root);
    // Every run fails before the handler starts (FIS invocation error); loaded on the real clock.
    runtime.faults.setFunction('signal-sampler', functionFaultSchema.parse({ error: true }));
    await runtime.invoke('signal-sampler', {}).catch(() => undefined);
    const lambda = new AsyncInvoker(runtime, 0.001);
    const scheduler = new LocalScheduler(
      runtime,
      lambda,
      schedules.filter((s) => s.name === 'signal-sampler'),
      1_000,
    );
    vi.useFakeTimers();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runtime.invocations.get('signal-sampler')?.count).toBe(2);
    // Lambda's pauses (60 s, then 120 s) at this time scale: 60 ms, then 120 ms.
    await vi.advanceTimersByTimeAsync(59);
    expect(runtime.invocations.get('signal-sampler')?.count).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runtime.invocations.get('signal-sampler')?.count).toBe(3);
    await vi.advanceTimersByTimeAsync(120);
    expect(runtime.invocations.get('signal-sampler')?.count).toBe(4);
    scheduler.stop();
    await lambda.drain();
    const [record] = lambda.destinations.get(onFailureQueueOf('signal-sampler'))!;
    expect(record).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { source: 'aws.scheduler', detail: { schedule: 'signal-sampler' } },
      responsePayload: { errorType: 'InjectedInvocationError' },
    });
  });
});
