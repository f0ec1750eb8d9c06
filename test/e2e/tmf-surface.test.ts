import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { client, eventually, ordersPath, quotesPath } from '#test/api-client';
import { startSubscriber } from '#test/hub-subscriber';
import { activations, createOrder, orderInState, resetFaults, setFault } from '#test/order-flow';
import { acceptedQuote, fiberLine, tmfQuoteBody } from '#test/quote-flow';
import { validateTmf } from '#test/tmf-schema';

const api = client();
const partnerA = { token: 'local-partner-a' };
const partnerB = { token: 'local-partner-b' };
const approver = { token: 'local-approver' };
const ops = { token: 'local-ops' };

const expectValid = (apiName: 'TMF622' | 'TMF648', definition: string, body: unknown) => {
  const result = validateTmf(apiName, definition, body);
  expect(result.errors).toEqual([]);
};

afterEach(async () => {
  await resetFaults();
});

describe('TMF648 quote facade over the quote aggregate', () => {
  it('creates a priced quote, walks it pending → approved → accepted, and the same quote converts to an order', async () => {
    const created = await api.post(`${quotesPath}/quote`, tmfQuoteBody(15), partnerA);
    expect(created.status).toBe(201);
    expectValid('TMF648', 'Quote', created.body);
    expect(created.body).toMatchObject({ state: 'inProgress', pricingStatus: 'PRICED' });
    expect(created.body.quoteTotalPrice).toHaveLength(2);
    const id = created.body.id as string;

    // The same aggregate through both APIs; another channel cannot see it.
    expect((await api.get(`/quotes/${id}`, partnerA)).body.version).toBe(Number(created.body.version));
    expect((await api.get(`${quotesPath}/quote/${id}`, partnerB)).status).toBe(404);

    const pending = await api.patch(`${quotesPath}/quote/${id}`, { state: 'pending' }, partnerA);
    expect(pending.status).toBe(200);
    expect(pending.body.state).toBe('pending');
    // A partner cannot approve its own discount.
    const selfApproval = await api.patch(`${quotesPath}/quote/${id}`, { state: 'approved' }, partnerA);
    expect(selfApproval.status).toBe(403);
    expectValid('TMF648', 'Error', selfApproval.body);

    const approved = await api.patch(
      `${quotesPath}/quote/${id}`,
      { state: 'approved', note: [{ text: 'strategic account' }] },
      approver,
    );
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('approved');
    const accepted = await api.patch(`${quotesPath}/quote/${id}`, { state: 'accepted' }, partnerA);
    expect(accepted.status).toBe(200);
    expectValid('TMF648', 'Quote', accepted.body);
    expect(accepted.body.state).toBe('accepted');
    expect(accepted.body.effectiveQuoteCompletionDate).toBeDefined();

    const order = await api.post(
      `${ordersPath}/productOrder`,
      {
        quote: [{ id }],
        billingAccount: { id: 'ba-tmf648' },
        productOrderItem: [{ id: '1', action: 'add', quoteItem: { id: accepted.body.quoteItem[0].id } }],
      },
      partnerA,
    );
    expect(order.status).toBe(201);
    // Nothing of this test may still be in flight when the next one sets a downstream fault.
    await orderInState(order.body.id, 'completed', 'local-partner-a');
  });

  it('refuses what the commands refuse: approver editing items, cancelling an accepted quote, a stale If-Match', async () => {
    const created = await api.post(`${quotesPath}/quote`, tmfQuoteBody(), partnerA);
    const id = created.body.id as string;
    const byApprover = await api.patch(
      `${quotesPath}/quote/${id}`,
      { quoteItem: tmfQuoteBody().quoteItem },
      approver,
    );
    expect(byApprover.status).toBe(403);
    const stale = await api.patch(
      `${quotesPath}/quote/${id}`,
      { state: 'pending' },
      {
        ...partnerA,
        headers: { 'If-Match': '"99"' },
      },
    );
    expect(stale.status).toBe(412);
    // 5 % is auto-approved: asking for pending lands in approved, as POST /submit does.
    const submitted = await api.patch(`${quotesPath}/quote/${id}`, { state: 'pending' }, partnerA);
    expect(submitted.body.state).toBe('approved');
    const accepted = await api.patch(`${quotesPath}/quote/${id}`, { state: 'accepted' }, partnerA);
    expect(accepted.body.state).toBe('accepted');
    const cancel = await api.patch(`${quotesPath}/quote/${id}`, { state: 'cancelled' }, partnerA);
    expect(cancel.status).toBe(422);
    expect(cancel.body.code).toBe('INVALID_STATE_TRANSITION');
    expectValid('TMF648', 'Error', cancel.body);
  });

  it('new quote items are repriced at once and invalidate the approval; a cancelled quote stays cancelled', async () => {
    const created = await api.post(`${quotesPath}/quote`, tmfQuoteBody(), partnerA);
    const id = created.body.id as string;
    await api.patch(`${quotesPath}/quote/${id}`, { state: 'pending' }, partnerA);
    const changed = await api.patch(
      `${quotesPath}/quote/${id}`,
      { quoteItem: tmfQuoteBody(5).quoteItem.map((i) => ({ ...i, quantity: 2 })) },
      partnerA,
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ state: 'inProgress', pricingStatus: 'PRICED' });
    expect(changed.body.quoteItem[0].quantity).toBe(2);
    const native = await api.get(`/quotes/${id}`, partnerA);
    expect(native.body.approval.invalidations.length).toBeGreaterThan(0);
    const cancelled = await api.patch(`${quotesPath}/quote/${id}`, { state: 'cancelled' }, partnerA);
    expect(cancelled.body.state).toBe('cancelled');
    const back = await api.patch(`${quotesPath}/quote/${id}`, { state: 'inProgress' }, partnerA);
    expect(back.status).toBe(422);
  });

  it('listQuote pages a channel’s quotes newest first, by state, with fields; another channel sees none', async () => {
    const first = (await api.post(`${quotesPath}/quote`, tmfQuoteBody(), partnerA)).body.id as string;
    const second = (await api.post(`${quotesPath}/quote`, tmfQuoteBody(), partnerA)).body.id as string;
    await api.patch(`${quotesPath}/quote/${first}`, { state: 'cancelled' }, partnerA);

    const page1 = await api.get(`${quotesPath}/quote?limit=1`, partnerA);
    expect(page1.status).toBe(200);
    expect(page1.body.map((q: any) => q.id)).toEqual([second]);
    expect(page1.headers.get('x-result-count')).toBe('1');
    for (const q of page1.body as Record<string, unknown>[]) expectValid('TMF648', 'Quote', q);
    const page2 = await api.get(
      `${quotesPath}/quote?limit=1&cursor=${page1.headers.get('x-next-cursor')}`,
      partnerA,
    );
    expect(page2.body.map((q: any) => q.id)).toEqual([first]);

    const cancelled = await api.get(`${quotesPath}/quote?state=cancelled&limit=100`, partnerA);
    expect(cancelled.body.map((q: any) => q.id)).toContain(first);
    expect(cancelled.body.every((q: any) => q.state === 'cancelled')).toBe(true);
    const slim = await api.get(`${quotesPath}/quote?limit=1&fields=state`, partnerA);
    expect(Object.keys(slim.body[0]).sort()).toEqual(['@type', 'href', 'id', 'state']);
    const others = await api.get(`${quotesPath}/quote?limit=100`, partnerB);
    expect(others.body.map((q: any) => q.id)).not.toContain(first);
    expect((await api.get(`${quotesPath}/quote?state=lost`, partnerA)).status).toBe(400);
  });

  it('bad input is a 400 with field details and writes nothing', async () => {
    const missingCustomer = await api.post(
      `${quotesPath}/quote`,
      { quoteItem: tmfQuoteBody().quoteItem, relatedParty: [{ id: 'x', role: 'Seller' }] },
      partnerA,
    );
    expect(missingCustomer.status).toBe(400);
    expect(missingCustomer.body.details.fields[0].field).toBe('relatedParty');
    const emptyPatch = await api.patch(`${quotesPath}/quote/q-none`, {}, partnerA);
    expect(emptyPatch.status).toBe(400);
  });
});

describe('TMF622 listProductOrder', () => {
  it('filters by externalId and orderDate range, selects fields, and sends the count headers', async () => {
    const quote = await acceptedQuote('local-partner-a', [fiberLine()]);
    const { body } = await createOrder(quote, 'local-partner-a');
    const { id, externalId, orderDate } = body as { id: string; externalId: string; orderDate: string };

    const byRef = await api.get(`${ordersPath}/productOrder?externalId=${externalId}`, partnerA);
    expect(byRef.status).toBe(200);
    expect(byRef.body.map((o: any) => o.id)).toEqual([id]);
    expect(byRef.headers.get('x-result-count')).toBe('1');
    for (const o of byRef.body as Record<string, unknown>[]) expectValid('TMF622', 'ProductOrder', o);
    expect((await api.get(`${ordersPath}/productOrder?externalId=${externalId}`, partnerB)).body).toEqual([]);

    const inside = await api.get(
      `${ordersPath}/productOrder?orderDate.gte=${orderDate}&orderDate.lte=${orderDate}&limit=100`,
      partnerA,
    );
    expect(inside.body.map((o: any) => o.id)).toContain(id);
    const after = await api.get(`${ordersPath}/productOrder?orderDate.gt=${orderDate}&limit=100`, partnerA);
    expect(after.body.map((o: any) => o.id)).not.toContain(id);
    expect(after.body.every((o: any) => o.orderDate > orderDate)).toBe(true);

    const slim = await api.get(
      `${ordersPath}/productOrder?externalId=${externalId}&fields=state,orderDate`,
      partnerA,
    );
    expect(Object.keys(slim.body[0]).sort()).toEqual(['@type', 'href', 'id', 'orderDate', 'state']);

    const bad = await api.get(`${ordersPath}/productOrder?orderDate.gt=yesterday`, partnerA);
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields[0].field).toBe('orderDate.gt');
    expectValid('TMF622', 'Error', bad.body);
    await orderInState(id, 'completed', 'local-partner-a');
  });
});

describe('TMF622 patchProductOrder', () => {
  it('changes channel attributes before the point of no return; quote-bound attributes are refused', async () => {
    const quote = await acceptedQuote('local-partner-a', [fiberLine()]);
    await setFault('provisioning', 'slow', 2, 1200);
    const { body } = await createOrder(quote, 'local-partner-a');
    const orderId = body.id as string;
    // A fulfillment step may change the order between our read and write: 409 means read again.
    const patched = await eventually(async () => {
      const r = await api.patch(
        `${ordersPath}/productOrder/${orderId}`,
        { description: 'second site', priority: '1', note: [{ text: 'gate code 4711' }] },
        partnerA,
      );
      return r.status === 409 ? undefined : r;
    });
    expect(patched.status).toBe(200);
    expectValid('TMF622', 'ProductOrder', patched.body);
    expect(patched.body).toMatchObject({ description: 'second site', priority: '1' });
    expect(patched.body.note[0]).toMatchObject({ text: 'gate code 4711', author: expect.any(String) });
    expect(
      (await api.patch(`${ordersPath}/productOrder/${orderId}`, { description: 'x' }, partnerB)).status,
    ).toBe(404);
    const items = await api.patch(
      `${ordersPath}/productOrder/${orderId}`,
      { productOrderItem: [{ id: '1', quantity: 5 }] },
      partnerA,
    );
    expect(items.status).toBe(422);
    expect(items.body.code).toBe('ORDER_QUOTE_MISMATCH');
    expectValid('TMF622', 'Error', items.body);
    const state = await api.patch(`${ordersPath}/productOrder/${orderId}`, { state: 'completed' }, partnerA);
    expect(state.status).toBe(400);
    // Let this order finish, so its billing call cannot take the next test's injected fault.
    await orderInState(orderId, 'completed', 'local-partner-a');
  });

  it('past the point of no return (billing started) a PATCH is 422 POINT_OF_NO_RETURN and changes nothing', async () => {
    const quote = await acceptedQuote('local-partner-a', [fiberLine()]);
    await setFault('billing', 'reject', 1);
    const { body } = await createOrder(quote, 'local-partner-a');
    const orderId = body.id as string;
    await orderInState(orderId, 'held', 'local-partner-a');
    const before = await api.get(`${ordersPath}/productOrder/${orderId}`, partnerA);
    const refused = await api.patch(
      `${ordersPath}/productOrder/${orderId}`,
      { description: 'late' },
      partnerA,
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('POINT_OF_NO_RETURN');
    const after = await api.get(`${ordersPath}/productOrder/${orderId}`, partnerA);
    expect(after.body.description).toBeUndefined();
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
  });
});

describe('TMF622 cancelProductOrder can be polled', () => {
  it('GET /cancelProductOrder/{id} follows the cancellation to done; another channel gets 404', async () => {
    const quote = await acceptedQuote('local-partner-a', [fiberLine()]);
    await setFault('provisioning', 'slow', 2, 1200);
    const { body } = await createOrder(quote, 'local-partner-a');
    const orderId = body.id as string;
    await eventually(async () => ((await activations(orderId)).length > 0 ? true : undefined), 200, 25);
    const cancel = await api.post(
      `${ordersPath}/cancelProductOrder`,
      { productOrder: { id: orderId }, cancellationReason: 'customer withdrew' },
      partnerA,
    );
    expect(cancel.status).toBe(201);
    const cancelId = cancel.body.id as string;
    const polled = await api.get(`${ordersPath}/cancelProductOrder/${cancelId}`, partnerA);
    expect(polled.status).toBe(200);
    expectValid('TMF622', 'CancelProductOrder', polled.body);
    expect(polled.body.productOrder.id).toBe(orderId);
    expect((await api.get(`${ordersPath}/cancelProductOrder/${cancelId}`, partnerB)).status).toBe(404);
    expect((await api.get(`${ordersPath}/cancelProductOrder/cpo-nothing`, partnerA)).status).toBe(404);
    const listed = await api.get(`${ordersPath}/cancelProductOrder?limit=100`, partnerA);
    expect(listed.status).toBe(200);
    const mine = (listed.body as Record<string, any>[]).find((c) => c.id === cancelId);
    expect(mine?.productOrder.id).toBe(orderId);
    for (const c of listed.body as Record<string, unknown>[]) expectValid('TMF622', 'CancelProductOrder', c);
    const theirs = await api.get(`${ordersPath}/cancelProductOrder?limit=100`, partnerB);
    expect((theirs.body as Record<string, any>[]).some((c) => c.id === cancelId)).toBe(false);
    const done = await eventually(async () => {
      const r = await api.get(`${ordersPath}/cancelProductOrder/${cancelId}`, partnerA);
      return r.body.state === 'done' ? r.body : undefined;
    }, 200);
    expect(done.effectiveCancellationDate).toBeDefined();
  });
});

describe('TMF hub notifications', () => {
  const subscribers: Awaited<ReturnType<typeof startSubscriber>>[] = [];
  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
  });

  it('a channel receives exactly the events of its own channel, in the TMF envelope, filtered by its query', async () => {
    const a = await startSubscriber();
    const b = await startSubscriber();
    subscribers.push(a, b);
    const subA = await api.post(
      `${ordersPath}/hub`,
      { callback: a.callback, query: 'eventType=ProductOrderStateChangeEvent' },
      partnerA,
    );
    expect(subA.status).toBe(201);
    expectValid('TMF622', 'EventSubscription', subA.body);
    const subB = await api.post(`${ordersPath}/hub`, { callback: b.callback }, partnerB);
    expect(subB.status).toBe(201);

    const quote = await acceptedQuote('local-partner-a', [fiberLine()]);
    const { body } = await createOrder(quote, 'local-partner-a');
    const orderId = body.id as string;
    await orderInState(orderId, 'completed', 'local-partner-a');

    const mine = await eventually(async () => {
      const states = a.received
        .filter((n) => n.event.productOrder.id === orderId)
        .map((n) => n.event.productOrder.state);
      return states.includes('completed')
        ? a.received.filter((n) => n.event.productOrder.id === orderId)
        : undefined;
    });
    for (const n of mine) {
      expect(n.eventType).toBe('ProductOrderStateChangeEvent');
      expectValid('TMF622', 'ProductOrderStateChangeEvent', n);
      expect(n.eventId).toEqual(expect.any(String));
    }
    expect(new Set(mine.map((n) => n.eventId)).size).toBe(mine.length);
    // Partner B's listener heard nothing of partner A's order.
    expect(b.received.some((n) => JSON.stringify(n).includes(orderId))).toBe(false);

    const log = await api.get(`/ops/hub-deliveries?subscriptionId=${subA.body.id}`, ops);
    expect(log.status).toBe(200);
    expect(log.body.items.filter((d: any) => d.outcome === 'DELIVERED').length).toBeGreaterThanOrEqual(
      mine.length,
    );
    expect((await api.get(`/ops/hub-deliveries?subscriptionId=${subA.body.id}`, partnerA)).status).toBe(403);

    expect((await api.delete(`${ordersPath}/hub/${subA.body.id}`, partnerB)).status).toBe(404);
    expect((await api.delete(`${ordersPath}/hub/${subA.body.id}`, partnerA)).status).toBe(204);
    expect((await api.delete(`${ordersPath}/hub/${subB.body.id}`, partnerB)).status).toBe(204);
  });

  it('quote hub: TMF648 QuoteCreateEvent and QuoteStateChangeEvent reach the subscriber', async () => {
    const q = await startSubscriber();
    subscribers.push(q);
    const sub = await api.post(`${quotesPath}/hub`, { callback: q.callback }, partnerA);
    expect(sub.status).toBe(201);
    const created = await api.post(`${quotesPath}/quote`, tmfQuoteBody(), partnerA);
    const id = created.body.id as string;
    await api.patch(`${quotesPath}/quote/${id}`, { state: 'pending' }, partnerA);
    const heard = await eventually(async () => {
      const mine = q.received.filter((n) => n.event.quote?.id === id);
      return mine.some((n) => n.eventType === 'QuoteStateChangeEvent') ? mine : undefined;
    });
    const create = heard.find((n) => n.eventType === 'QuoteCreateEvent');
    expect(create).toBeDefined();
    expectValid('TMF648', 'QuoteCreateEvent', create);
    expectValid(
      'TMF648',
      'QuoteStateChangeEvent',
      heard.find((n) => n.eventType === 'QuoteStateChangeEvent'),
    );
    await api.delete(`${quotesPath}/hub/${sub.body.id}`, partnerA);
  });

  it('a callback that keeps failing is retried, then dead-lettered in the delivery log', async () => {
    const failing = await startSubscriber(500);
    subscribers.push(failing);
    const sub = await api.post(
      `${quotesPath}/hub`,
      { callback: failing.callback, query: 'eventType=QuoteCreateEvent' },
      partnerB,
    );
    await api.post(`${quotesPath}/quote`, tmfQuoteBody(), partnerB);
    const dead = await eventually(async () => {
      const log = await api.get(`/ops/hub-deliveries?subscriptionId=${sub.body.id}`, ops);
      return log.body.items.find((d: any) => d.outcome === 'DEAD_LETTER');
    });
    expect(dead.attempt).toBe(3);
    expect(failing.calls()).toBe(3);
    await api.delete(`${quotesPath}/hub/${sub.body.id}`, partnerB);
  });

  it('refuses a subscription with an unknown query key or a malformed callback (400, nothing stored)', async () => {
    const badQuery = await api.post(
      `${ordersPath}/hub`,
      { callback: 'http://127.0.0.1:9/x', query: 'colour=red' },
      partnerA,
    );
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.code).toBe('INVALID_SUBSCRIPTION');
    const badCallback = await api.post(`${ordersPath}/hub`, { callback: 'not a url' }, partnerA);
    expect(badCallback.status).toBe(400);
  });
});
