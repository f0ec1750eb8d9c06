import { afterEach, describe, expect, it } from 'vitest';
import { client, ordersPath } from '../support/api-client.ts';
import { createOrder, resetFaults, setFault } from '../support/order-flow.ts';
import { acceptedQuote } from '../support/quote-flow.ts';

const api = client();
const partner = { token: 'local-partner-a' };
const ops = { token: 'local-ops' };

describe('partners read the partner projection of their orders', () => {
  afterEach(resetFaults);

  it('staff notes and a staff cancellation reason never reach the partner; staff read everything', async () => {
    const quote = await acceptedQuote(partner.token);
    // Provisioning answers slowly: the order stays before the point of no return (cancellable).
    await setFault('provisioning', 'slow', 1, 3000);
    const orderId = (await createOrder(quote, partner.token)).body.id as string;
    const path = `${ordersPath}/productOrder/${orderId}`;
    expect((await api.patch(path, { note: [{ text: 'call before install' }] }, partner)).status).toBe(200);
    expect((await api.patch(path, { note: [{ text: 'credit check pending' }] }, ops)).status).toBe(200);
    const cancel = await api.post(
      `${ordersPath}/cancelProductOrder`,
      { productOrder: { id: orderId }, cancellationReason: 'CREDIT_HOLD_INTERNAL' },
      ops,
    );
    expect(cancel.status).toBe(201);

    const seenByPartner = [
      (await api.get(path, partner)).body,
      (await api.get(`${ordersPath}/cancelProductOrder/${cancel.body.id}`, partner)).body,
      (await api.get(`${ordersPath}/cancelProductOrder?limit=100`, partner)).body.find(
        (c: any) => c.id === cancel.body.id,
      ),
    ];
    expect(seenByPartner[0].note).toEqual([
      { id: '1', text: 'call before install', author: 'partner-a-user', date: expect.any(String) },
    ]);
    expect(seenByPartner[2]).toMatchObject({ id: cancel.body.id });
    for (const resource of seenByPartner) {
      const text = JSON.stringify(resource);
      for (const internal of ['credit check pending', 'ops-user', 'CREDIT_HOLD_INTERNAL', 'visibility'])
        expect(text).not.toContain(internal);
    }

    const seenByOps = (await api.get(path, ops)).body;
    expect(seenByOps.note.map((n: any) => [n.text, n.visibility])).toEqual([
      ['call before install', 'partner'],
      ['credit check pending', 'internal'],
    ]);
    expect(seenByOps.cancellationReason).toBe('CREDIT_HOLD_INTERNAL');
  });
});
