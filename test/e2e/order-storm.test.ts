import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { client, ordersPath } from '../support/api-client.ts';
import {
  acceptedFiberQuote,
  activations,
  executions,
  expectEachOnce,
  orderBody,
  orderInState,
  settled,
  subscriptions,
} from '../support/order-flow.ts';

const api = client();

describe('conversion storm', () => {
  it('40 concurrent requests for one accepted quote give exactly one order, one run, one set of side effects', async () => {
    const quote = await acceptedFiberQuote();
    const body = orderBody(quote);
    const sameKey = randomUUID();
    const post = (key: string) => api.post(`${ordersPath}/productOrder`, body, { token: 'local-sales', key });
    const replies = await Promise.all([
      ...Array.from({ length: 30 }, () => post(sameKey)),
      ...Array.from({ length: 10 }, () => post(randomUUID())),
    ]);

    const created = replies.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    const ids = new Set(created.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const orderId = [...ids][0] as string;

    for (const r of replies.filter((x) => x.status !== 201)) {
      expect([409]).toContain(r.status);
      expect(['QUOTE_ALREADY_CONVERTED', 'IDEMPOTENCY_REQUEST_IN_PROGRESS']).toContain(r.body.code);
      if (r.body.code === 'QUOTE_ALREADY_CONVERTED') expect(r.body.details.orderId).toBe(orderId);
    }
    const differentKeyLosers = replies.slice(30).filter((r) => r.status !== 201);
    expect(differentKeyLosers.length).toBeGreaterThanOrEqual(9);
    for (const r of differentKeyLosers) expect(r.body.code).toBe('QUOTE_ALREADY_CONVERTED');

    // A late retry with another key is still refused, pointing at the one order.
    const late = await post(randomUUID());
    expect(late.status).toBe(409);
    expect(late.body.details.orderId).toBe(orderId);

    const list = await api.get(`${ordersPath}/productOrder?quoteId=${quote.id}`, { token: 'local-sales' });
    expect(list.headers.get('x-total-count')).toBe('1');

    await orderInState(orderId, 'completed');
    await settled(orderId);
    // One fulfillment run (the Standard parent); its dispatch loop ran as one Express child.
    const runs = await executions(orderId);
    expect(runs.filter((e) => e.type === 'STANDARD')).toHaveLength(1);
    expect(runs.filter((e) => e.type === 'EXPRESS')).toHaveLength(1);
    const acts = await activations(orderId);
    expect(acts).toHaveLength(2);
    expectEachOnce(acts);
    expect(await subscriptions(orderId)).toHaveLength(1);
  });
});
