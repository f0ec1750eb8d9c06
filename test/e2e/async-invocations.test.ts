import { afterEach, describe, expect, it } from 'vitest';
import { onFailureQueueOf } from '#topology';
import { client, eventually } from '../support/api-client.ts';
import { clearFaults, injectFault } from '../support/faults.ts';
import { quoteBody } from '../support/quote-flow.ts';

const api = client();
const ops = { token: 'local-ops' };

type FailureRecord = {
  requestContext: { condition: string; approximateInvokeCount: number; functionArn: string };
  requestPayload: { 'detail-type': string; detail: unknown };
  responsePayload: { errorType: string };
};

const destination = async (queue: string) =>
  ((await api.get('/ops/local/dead-letters', ops)).body.asyncInvocations[queue] ?? []) as FailureRecord[];

describe('asynchronous invocations (EventBridge rule targets)', () => {
  afterEach(() => clearFaults());

  it('a target that keeps failing runs three times, then its event waits in the function’s on-failure destination', async () => {
    await injectFault('functions', { error: true }, 'hub-dispatcher');
    const created = await api.post('/quotes', quoteBody(), { token: 'local-sales' });
    expect(created.status).toBe(201);
    const record = await eventually(async () =>
      (await destination(onFailureQueueOf('hub-dispatcher'))).find(
        (r) =>
          r.requestPayload['detail-type'] === 'QuoteCreateEvent' &&
          JSON.stringify(r.requestPayload.detail).includes(created.body.id),
      ),
    );
    expect(record.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    expect(record.requestContext.functionArn).toContain(':function:hub-dispatcher');
    expect(record.responsePayload.errorType).toBe('InjectedInvocationError');
    const health = (await api.get('/health', { token: 'local-ops' })).body;
    expect(health.components.asyncFailureQueues[onFailureQueueOf('hub-dispatcher')]).toBeGreaterThan(0);
  });
});
