import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionStore } from '#local/execution-store';
import { LambdaRuntime } from '#local/lambda-runtime';
import { localStateMachineArn } from '#local/local-aws';
import { LocalStepFunctions, localExpressLimitMs } from '#local/step-functions';
import { stateMachines } from '#topology';

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
    // Each task state's own timeout (30-40 s) ends before the limit, so the run that outlasts it
    // is a child standing in one long Wait: the machines as written, the child's replaced.
    const fixture = mkdtempSync(join(tmpdir(), 'express-limit-'));
    cpSync(join(root, 'state-machines'), join(fixture, 'state-machines'), { recursive: true });
    writeFileSync(
      join(fixture, stateMachines['fulfillment-steps'].definitionFile),
      JSON.stringify({
        StartAt: 'Stand',
        States: { Stand: { Type: 'Wait', Seconds: 10_000, Next: 'Done' }, Done: { Type: 'Succeed' } },
      }),
    );
    const sfn = new LocalStepFunctions(fixture, new LambdaRuntime(root), 0.02, {} as ExecutionStore);
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
