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

  it("admits a partner's order submissions at its method throttle: past it 429, while its other requests are served", async () => {
    const api = client(stack.url);
    const route = 'POST /tmf-api/productOrderingManagement/v4/productOrder';
    const admission = apiSpec.usagePlans['partner-b']!.methods![route]!;
    const body = {
      quote: [{ id: 'q-none' }],
      billingAccount: { id: 'ba-1' },
      productOrderItem: [{ id: '1', action: 'add', quoteItem: { id: 'l-1' } }],
    };
    const submissions = await Promise.all(
      Array.from({ length: admission.burstLimit + 5 }, () =>
        api.post('/tmf-api/productOrderingManagement/v4/productOrder', body, { token: 'local-partner-b' }),
      ),
    );
    // Admitted ones reach order-create (which finds no such quote); the rest never do.
    const statuses = submissions.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((s) => s !== 429).every((s) => s === 404)).toBe(true);
    const throttled = submissions.find((r) => r.status === 429)!;
    expect(throttled.body).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The same partner's reads and the sales channel's orders are not held back by it.
    expect((await api.get('/catalog', { token: 'local-partner-b' })).status).toBe(200);
    const sales = await api.post('/tmf-api/productOrderingManagement/v4/productOrder', body, {
      token: 'local-sales',
    });
    expect(sales.status).toBe(404);
  });

  it('does not throttle the public routes by channel', async () => {
    const api = client(stack.url);
    const replies = await Promise.all(Array.from({ length: 60 }, () => api.get('/health')));
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });
});
