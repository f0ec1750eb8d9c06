import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api as apiSpec } from '#topology';
import { client } from '../support/api-client.ts';
import { type StackProcess, startStackProcess } from '../support/local-stack-process.ts';

/** Its own stack with the usage plans exactly as the CDK app deploys them (throttle scale 1). */
let stack: StackProcess;
beforeAll(async () => {
  stack = await startStackProcess(['--throttle-scale', '1']);
});
afterAll(async () => {
  await stack?.stop();
});

describe('per-channel usage plans in the local gateway', () => {
  it('answers a channel past its burst 429 TOO_MANY_REQUESTS with Retry-After; other channels are still served', async () => {
    const api = client(stack.url);
    const plan = apiSpec.usagePlans['partner-a']!;
    const flood = await Promise.all(
      Array.from({ length: plan.burstLimit * 4 }, () => api.get('/catalog', { token: 'local-partner-a' })),
    );
    const throttled = flood.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(flood.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(plan.burstLimit);
    for (const r of throttled) {
      expect(r.body).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        status: '429',
        correlationId: expect.any(String),
      });
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // Another channel has its own plan: partner A's flood does not starve it.
    expect((await api.get('/catalog', { token: 'local-partner-b' })).status).toBe(200);
    // After Retry-After, partner A is served again.
    const wait = Number(throttled[0]!.headers.get('retry-after')) * 1000;
    await new Promise((r) => setTimeout(r, wait + 100));
    expect((await api.get('/catalog', { token: 'local-partner-a' })).status).toBe(200);
  });

  it('does not throttle the public routes by channel', async () => {
    const api = client(stack.url);
    const replies = await Promise.all(Array.from({ length: 60 }, () => api.get('/health')));
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });
});
