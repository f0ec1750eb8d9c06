import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import {
  activations,
  createOrder,
  events,
  expectEachOnce,
  expectTmf,
  orderBody,
  orderInState,
  subscriptions,
} from '../support/order-flow.ts';
import { acceptedQuote, fiberLine } from '../support/quote-flow.ts';

const api = client();

describe('order fulfillment walking skeleton', () => {
  it('converts an accepted quote, fulfils it through provisioning and billing, and completes', async () => {
    const quote = await acceptedQuote('local-sales', [
      fiberLine(),
      { offeringId: 'off-static-ip', quantity: 1, options: { size: 8 } },
    ]);
    const correlationId = `e2e-${randomUUID()}`;
    const created = await createOrder(quote, 'local-sales', {
      headers: { 'X-Correlation-Id': correlationId },
    });
    expect(created.body.state).toBe('acknowledged');
    expect(created.headers.get('location')).toBe(`${ordersPath}/productOrder/${created.body.id}`);
    expect(created.headers.get('x-correlation-id')).toBe(correlationId);
    expectTmf('ProductOrder', created.body);
    const orderId = created.body.id as string;

    // Items and prices are the accepted quote's, not the catalog's.
    const snapshotLines = quote.priceSnapshot.lines as { lineId: string; netRecurring: number }[];
    for (const item of created.body.productOrderItem) {
      const line = snapshotLines.find((l) => l.lineId === item.quoteItem.id)!;
      const recurring = item.itemPrice.find((p: { priceType: string }) => p.priceType === 'recurring');
      expect(recurring.price.dutyFreeAmount.value).toBe(line.netRecurring / 100);
    }

    const completed = await orderInState(orderId, 'completed');
    expectTmf('ProductOrder', completed);
    expect(completed.completionDate).toBeTruthy();
    expect(completed.productOrderItem.every((i: { state: string }) => i.state === 'completed')).toBe(true);

    // What the downstream really did: each activation once, exactly one billing subscription.
    const acts = await activations(orderId);
    expect(acts.map((a) => a.action).sort()).toEqual(
      ['ACCESS_PROVISION', 'IP_BLOCK_ASSIGN', 'SERVICE_ACTIVATION'].sort(),
    );
    expectEachOnce(acts);
    const subs = await subscriptions(orderId);
    expect(subs).toHaveLength(1);
    expect(subs[0]!.payload.quoteId).toBe(quote.id);
    expect(subs[0]!.payload.acceptedSnapshotHash).toBe(quote.acceptance.snapshotHash);

    // The caller's correlation id is carried into every event and every downstream request.
    for (const effect of [...acts, ...subs]) expect(effect.payload.orderCorrelationId).toBe(correlationId);
    const list = await eventually(async () => {
      const all = await events(orderId);
      return all.some((e) => e.detail.resource?.state === 'completed') ? all : undefined;
    });
    const types = new Set(list.map((e) => e['detail-type']));
    for (const t of ['ProductOrderCreateEvent', 'FulfillmentPlanCreateEvent', 'ProductOrderStateChangeEvent'])
      expect(types.has(t), t).toBe(true);
    for (const e of list) expect(e.detail.correlationId).toBe(correlationId);
  });

  it('lists orders with TMF622 resources and count headers, filtered by quote and state', async () => {
    const quote = await acceptedQuote('local-partner-a');
    const created = await createOrder(quote, 'local-partner-a');
    const orderId = created.body.id as string;
    await orderInState(orderId, 'completed', 'local-partner-a');

    const byQuote = await api.get<Record<string, any>[]>(`${ordersPath}/productOrder?quoteId=${quote.id}`, {
      token: 'local-partner-a',
    });
    expect(byQuote.status).toBe(200);
    expect(byQuote.headers.get('x-total-count')).toBe('1');
    expect(byQuote.headers.get('x-result-count')).toBe('1');
    expect(byQuote.body[0]?.id).toBe(orderId);
    for (const o of byQuote.body) expectTmf('ProductOrder', o);

    const completed = await api.get<Record<string, any>[]>(
      `${ordersPath}/productOrder?state=completed&limit=2`,
      {
        token: 'local-partner-a',
      },
    );
    expect(completed.status).toBe(200);
    expect(completed.body.length).toBeLessThanOrEqual(2);
    expect(completed.body.length).toBeGreaterThanOrEqual(1);
    expect(Number(completed.headers.get('x-result-count'))).toBe(completed.body.length);
    for (const o of completed.body) expect(o.state).toBe('completed');

    // Partners see only their channel.
    const other = await api.get<Record<string, any>[]>(`${ordersPath}/productOrder?quoteId=${quote.id}`, {
      token: 'local-partner-b',
    });
    expect(other.headers.get('x-total-count')).toBe('0');
    expect(other.body).toEqual([]);
    const otherGet = await api.get(`${ordersPath}/productOrder/${orderId}`, { token: 'local-partner-b' });
    expect(otherGet.status).toBe(404);
    expectTmf('Error', otherGet.body);

    const bad = await api.get(`${ordersPath}/productOrder?state=nonsense`, { token: 'local-sales' });
    expect(bad.status).toBe(400);
  });

  it('replays the create for the same key and refuses a payload change', async () => {
    const quote = await acceptedQuote();
    const key = randomUUID();
    const body = orderBody(quote);
    const first = await api.post(`${ordersPath}/productOrder`, body, { token: 'local-sales', key });
    const again = await api.post(`${ordersPath}/productOrder`, body, { token: 'local-sales', key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const changed = await api.post(
      `${ordersPath}/productOrder`,
      { ...body, externalId: 'other' },
      { token: 'local-sales', key },
    );
    expect(changed.status).toBe(422);
    expect(changed.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
