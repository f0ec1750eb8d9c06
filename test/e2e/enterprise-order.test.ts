import { afterEach, describe, expect, it } from 'vitest';
import { client, ordersPath } from '../support/api-client.ts';
import {
  acceptedFiberQuote,
  createOrder,
  heldFallout,
  orderBody,
  orderInState,
  repairPath,
  resetFaults,
  setFault,
} from '../support/order-flow.ts';

const api = client();

describe.sequential('enterprise orders', () => {
  afterEach(resetFaults);

  it('an order too large to fulfil is refused with 422 ORDER_TOO_LARGE, never accepted', async () => {
    const quote = await acceptedFiberQuote();
    const items = Array.from({ length: 501 }, (_, i) => ({
      id: String(i + 1),
      action: 'add',
      quoteItem: { id: '1' },
    }));
    const r = await api.post(`${ordersPath}/productOrder`, orderBody(quote, { productOrderItem: items }), {
      token: 'local-sales',
    });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('ORDER_TOO_LARGE');
    expect(r.body.details.limit.items).toBe(500);
  });

  it('notes beyond the bound are refused and an ops repair of the full order still works', async () => {
    const quote = await acceptedFiberQuote();
    await setFault('provisioning', 'reject', 1);
    const { body } = await createOrder(quote);
    const orderId = body.id as string;
    await orderInState(orderId, 'held');
    const note = Array.from({ length: 10 }, () => ({ text: 'n'.repeat(2000) }));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await api.patch(`${ordersPath}/productOrder/${orderId}`, { note }, { token: 'local-sales' });
      statuses.push(r.status);
      if (r.status !== 200) expect(r.body.code).toBe('NOTES_LIMIT_REACHED');
    }
    expect(statuses.filter((s) => s === 422).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 422)).toBe(true);
    const fallout = await heldFallout(orderId);
    const repair = await api.post(
      repairPath(orderId, fallout.taskId as string),
      { action: 'RETRY', reasonCode: 'DOWNSTREAM_FIXED', evidence: { note: 'x'.repeat(2000) } },
      { token: 'local-ops' },
    );
    expect(repair.status).toBe(201);
    await orderInState(orderId, 'completed');
  });
});
