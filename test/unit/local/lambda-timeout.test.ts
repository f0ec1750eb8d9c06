import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalApiGateway } from '#local/api-gateway';
import { functionFaultSchema } from '#local/faults';
import { LambdaRuntime } from '#local/lambda-runtime';

const root = resolve(import.meta.dirname, '../../..');

/** A runtime whose `health` function takes longer to start than its 10 s timeout (FIS startup delay). */
const hangingHealth = async () => {
  const runtime = new LambdaRuntime(root);
  // Loaded on the real clock; only the hanging invocation runs on the fake one.
  await runtime.invoke('health', {});
  runtime.faults.setFunction('health', functionFaultSchema.parse({ startupDelayMilliseconds: 60_000 }));
  vi.useFakeTimers();
  return runtime;
};

const request = {
  method: 'GET',
  path: '/health',
  query: new URLSearchParams(),
  headers: {},
  body: '',
  sourceIp: '127.0.0.1',
};

describe('local Lambda timeouts', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops an invocation at the function timeout and reports it as Lambda does to Step Functions', async () => {
    const runtime = await hangingHealth();
    const outcome = runtime.invoke('health', {}).then(
      () => undefined,
      (error: Error) => error,
    );
    await vi.advanceTimersByTimeAsync(9_999);
    expect(runtime.invocations.get('health')?.errors).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error?.name).toBe('Lambda.Unknown');
    expect(error?.message).toContain('"errorType":"Sandbox.Timedout"');
    expect(error?.message).toContain('Task timed out after 10.00 seconds');
    expect(runtime.invocations.get('health')).toMatchObject({ count: 2, errors: 1 });
  });

  it('answers the gateway’s integration failure (502 in the error shape) for a function past its timeout', async () => {
    const runtime = await hangingHealth();
    const gateway = new LocalApiGateway(runtime);
    const reply = gateway.handle(request);
    await vi.advanceTimersByTimeAsync(10_000);
    const answer = await reply;
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body)).toMatchObject({ '@type': 'Error', code: 'BAD_GATEWAY', status: '502' });
  });
});
