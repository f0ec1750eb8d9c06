import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionStore } from '#local/execution-store';
import { functionFaultSchema } from '#local/faults';
import { LambdaRuntime } from '#local/lambda-runtime';
import { localStateMachineArn } from '#local/local-aws';
import { LocalStepFunctions, localExpressLimitMs } from '#local/step-functions';

const root = resolve(import.meta.dirname, '../../..');

describe('local Express executions', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('run at most 5 minutes scaled like the waits, never shorter than a few of the longest step', () => {
    expect(localExpressLimitMs('fulfillment-steps', 1)).toBe(300_000);
    expect(localExpressLimitMs('fulfillment-steps', 0.5)).toBe(150_000);
    // A dispatch round may run 30 s in real time: a scaled 6 s limit would cut it short, and a
    // child with room for one round only would hand back before each.
    expect(localExpressLimitMs('fulfillment-steps', 0.02)).toBe(90_000);
  });

  it('an execution still running at its limit times out (States.Timeout), as Express stops it', async () => {
    const runtime = new LambdaRuntime(root);
    // Loaded on the real clock (the bad input fails at once); the hanging run is on the fake one.
    await runtime.invoke('fulfillment-next-step', {}).catch(() => undefined);
    runtime.faults.setFunction(
      'fulfillment-next-step',
      functionFaultSchema.parse({ startupDelayMilliseconds: 120_000 }),
    );
    const sfn = new LocalStepFunctions(root, runtime, 0.02, {} as ExecutionStore);
    vi.useFakeTimers();
    const execution = await sfn.startExecution(
      localStateMachineArn('fulfillment-steps'),
      'express-limit',
      JSON.stringify({ orderId: 'po-1', correlationId: 'c-1', loops: 0 }),
    );
    await vi.advanceTimersByTimeAsync(89_000);
    expect(execution.status).toBe('RUNNING');
    await vi.advanceTimersByTimeAsync(1_000);
    await sfn.drain();
    expect(execution).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });
});
