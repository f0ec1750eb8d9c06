import { afterEach, describe, expect, it } from 'vitest';
import { functions } from '#topology';
import { client, ordersPath } from '../support/api-client.ts';
import { clearFaults, injectFault, invocations } from '../support/faults.ts';

const api = client();

describe('bulkheads: reserved concurrency from the topology', () => {
  afterEach(() => clearFaults());

  it('invocations beyond order-cancel’s reserved concurrency are refused at once with 429 and Retry-After', async () => {
    const reserved = functions['order-cancel'].reservedConcurrency;
    expect(reserved).toBeGreaterThan(0);
    // Each invocation holds its execution environment for a while (FIS-style added latency).
    await injectFault('functions', { startupDelayMilliseconds: 5000 }, 'order-cancel');
    const before = (await invocations())['order-cancel'] ?? { count: 0, throttles: 0 };
    const replies = await Promise.all(
      Array.from({ length: reserved + 3 }, () =>
        api.post(
          `${ordersPath}/cancelProductOrder`,
          { productOrder: { id: 'po-does-not-exist' }, cancellationReason: 'bulkhead' },
          { token: 'local-sales' },
        ),
      ),
    );
    const throttled = replies.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(3);
    for (const r of throttled) {
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.body.code).toBe('TOO_MANY_REQUESTS');
    }
    // The admitted ones ran and answered for themselves (the order does not exist).
    expect(replies.filter((r) => r.status === 404)).toHaveLength(reserved);
    const after = (await invocations())['order-cancel']!;
    expect(after.throttles - before.throttles).toBe(3);
    expect(after.count - before.count).toBe(reserved);

    // Capacity comes back as soon as the admitted invocations finish.
    await clearFaults();
    const again = await api.post(
      `${ordersPath}/cancelProductOrder`,
      { productOrder: { id: 'po-does-not-exist' }, cancellationReason: 'bulkhead' },
      { token: 'local-sales' },
    );
    expect(again.status).toBe(404);
  });
});
