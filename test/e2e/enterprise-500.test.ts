import { describe, expect, it } from 'vitest';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { activations, orderBody, subscriptions } from '../support/order-flow.ts';
import { type LineBody, quoteBody } from '../support/request-bodies.ts';

const api = client();
const sales = { token: 'local-sales' };
const ops = { token: 'local-ops' };
const size = 500;

/** Per site every offering of the demo catalog: a fiber access, SD-WAN, security on them, an IP block. */
const siteLines = (count: number): LineBody[] =>
  Array.from({ length: count }, (_, i): LineBody => {
    const customerReference = `s${Math.floor(i / 4)}`;
    const offerings: Pick<LineBody, 'offeringId' | 'options'>[] = [
      { offeringId: 'off-fiber-1g', options: { term: 24 } },
      { offeringId: 'off-sdwan', options: { sites: 2 } },
      { offeringId: 'off-security', options: {} },
      { offeringId: 'off-static-ip', options: { size: 8 } },
    ];
    return { ...offerings[i % 4]!, quantity: 1, customerReference };
  });

const ok = async (path: string) => {
  const r = await api.post(path, {}, sales);
  expect(r.status, `${path} ${JSON.stringify(r.body).slice(0, 500)}`).toBe(200);
  return r.body as Record<string, any>;
};

/**
 * Issue 20: an enterprise deal of 500 lines goes from quote to completed order on the local
 * stack. The quote is stored as a header and pages (over one DynamoDB item whole), the order's
 * billing handoff goes in parts of 100 items, each acknowledged by billing.
 */
describe('enterprise deals of 500 lines', () => {
  it('a 500-line quote is priced, accepted and ordered, and its 500-item order completes', async () => {
    const created = await api.post('/quotes', quoteBody(siteLines(size)), sales);
    expect(created.status, JSON.stringify(created.body).slice(0, 500)).toBe(201);
    const quoteId = created.body.id as string;
    await ok(`/quotes/${quoteId}/price`);
    await ok(`/quotes/${quoteId}/submit`);
    const accepted = await ok(`/quotes/${quoteId}/accept`);
    expect(accepted.state).toBe('accepted');
    expect(accepted.lines).toHaveLength(size);
    const read = await api.get(`/quotes/${quoteId}`, sales);
    expect(read.body.lines).toHaveLength(size);
    expect(read.body.priceSnapshot.lines).toHaveLength(size);

    const order = await api.post(`${ordersPath}/productOrder`, orderBody(accepted), sales);
    expect(order.status, JSON.stringify(order.body).slice(0, 500)).toBe(201);
    const orderId = order.body.id as string;
    expect(order.body.productOrderItem).toHaveLength(size);

    const completed = await eventually(
      async () => {
        const r = await api.get(`${ordersPath}/productOrder/${orderId}`, sales);
        if (['failed', 'held', 'partial', 'cancelled'].includes(r.body.state))
          throw new Error(`order ended ${r.body.state}`);
        return r.body.state === 'completed' ? r.body : undefined;
      },
      900,
      500,
    );
    expect(completed.productOrderItem).toHaveLength(size);
    expect(completed.productOrderItem.every((i: any) => i.state === 'completed')).toBe(true);

    // Exactly one activation per provisioning task: fiber access + service, one each for the rest.
    const provisioned = await activations(orderId);
    expect(provisioned).toHaveLength((size / 4) * 5);
    expect(new Set(provisioned.map((a) => a.correlationId)).size).toBe(provisioned.length);
    // Billing acknowledged the commitment in five parts of 100 items, every item exactly once.
    const billed = await subscriptions(orderId);
    expect(billed.map((b) => b.payload.part).sort((a, b) => a.number - b.number)).toEqual(
      [1, 2, 3, 4, 5].map((number) => ({ number, of: 5 })),
    );
    const billedItems = billed.flatMap((b) =>
      (b.payload.items as { orderItemId: string }[]).map((i) => i.orderItemId),
    );
    expect(new Set(billedItems).size).toBe(size);
    expect(billedItems).toHaveLength(size);

    const denials = await api.get('/ops/local/iam-denials', ops);
    expect(denials.body.count).toBe(0);
  }, 600_000);
});
