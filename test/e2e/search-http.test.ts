import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAggregate } from '#adapters/aggregate-store';
import { client, eventually } from '../support/api-client.ts';
import {
  acceptedFiberQuote,
  createOrder,
  orderInState,
  resetFaults,
  setFault,
} from '../support/order-flow.ts';
import { fiberLine } from '../support/quote-flow.ts';
import { useStackTables } from '../support/stack-tables.ts';

const api = client();
const sales = { token: 'local-sales' };

/** Polls a search until its items satisfy `done`. */
const searchUntil = (path: string, token: string, done: (items: Record<string, any>[]) => boolean) =>
  eventually(async () => {
    const r = await api.get(path, { token });
    return r.status === 200 && done(r.body.items) ? r.body : undefined;
  });

const createQuote = async (token: string, name: string, extra: Record<string, unknown> = {}) => {
  const r = await api.post(
    '/quotes',
    {
      customer: {
        accountId: `acct-${randomUUID().slice(0, 8)}`,
        name,
        region: 'APAC',
        segment: 'Enterprise',
      },
      currency: 'USD',
      lines: [fiberLine()],
      ...extra,
    },
    { token },
  );
  expect(r.status).toBe(201);
  return r.body as Record<string, any>;
};

describe('GET /search/quotes', () => {
  const tag = randomUUID().slice(0, 6);
  const name = `Zeta ${tag} Manufacturing`;
  let a: Record<string, any>;
  let b: Record<string, any>;
  let c: Record<string, any>;

  beforeAll(async () => {
    a = await createQuote('local-partner-a', name, { externalId: `CRM-${tag}` });
    b = await createQuote('local-partner-a', `${name} East`);
    c = await createQuote('local-partner-b', `${name} West`);
  });

  it('finds quotes by case-insensitive customer name prefix, near-real-time, with freshness', async () => {
    const body = await searchUntil(
      `/search/quotes?customerName=${encodeURIComponent(`zETA ${tag}`)}`,
      'local-sales',
      (items) => items.length === 3,
    );
    expect(body.items.map((i: any) => i.quoteId).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(body.freshness).toMatchObject({ mode: 'near-real-time', source: 'search-index' });
    expect(body.freshness.maxLagMs).toBeGreaterThanOrEqual(0);
    const doc = body.items.find((i: any) => i.quoteId === a.id);
    expect(doc).toMatchObject({
      documentType: 'quote',
      quoteNumber: a.id,
      state: 'inProgress',
      externalId: `CRM-${tag}`,
      customer: { name, region: 'APAC', segment: 'Enterprise' },
      products: [{ offeringId: 'off-fiber-1g', productFamily: 'Connectivity' }],
    });
    expect(doc.customer.nameLower).toBeUndefined();
    expect(doc.freshness).toMatchObject({ sourceVersion: 1 });
  });

  it('restricts a partner to its own channel at the query boundary', async () => {
    const path = `/search/quotes?customerName=${encodeURIComponent(`zeta ${tag}`)}`;
    const own = await searchUntil(path, 'local-partner-a', (items) => items.length === 2);
    expect(own.items.map((i: any) => i.quoteId).sort()).toEqual([a.id, b.id].sort());
    const other = await api.get(path, { token: 'local-partner-b' });
    expect(other.body.items.map((i: any) => i.quoteId)).toEqual([c.id]);
    const byNumber = await api.get(`/search/quotes?quoteNumber=${a.id}`, { token: 'local-partner-b' });
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.items).toEqual([]);
  });

  it('searches by quote number, external id, offering, region, state and expiry, combined', async () => {
    const q = (query: string) =>
      searchUntil(`/search/quotes?${query}`, 'local-sales', (items) => items.length > 0);
    expect((await q(`quoteNumber=${a.id}`)).items.map((i: any) => i.quoteId)).toEqual([a.id]);
    expect((await q(`externalId=CRM-${tag}`)).items.map((i: any) => i.quoteId)).toEqual([a.id]);
    const combined = await q(
      `customerName=zeta%20${tag}&region=apac&state=inProgress&offeringId=off-fiber-1g`,
    );
    expect(combined.items).toHaveLength(3);
    const far = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const expiring = await q(`customerName=zeta%20${tag}&expiresBefore=${encodeURIComponent(far)}`);
    expect(expiring.items).toHaveLength(3);
    const none = await api.get(
      `/search/quotes?customerName=zeta%20${tag}&expiresBefore=${new Date().toISOString().slice(0, 10)}`,
      sales,
    );
    expect(none.body.items).toEqual([]);
  });

  it('follows a state change and pages with an opaque cursor', async () => {
    await api.post(`/quotes/${b.id}/price`, {}, { token: 'local-partner-a' });
    await api.post(`/quotes/${b.id}/submit`, {}, { token: 'local-partner-a' });
    const approved = await searchUntil(
      `/search/quotes?customerName=zeta%20${tag}%20manufacturing%20east&state=approved`,
      'local-sales',
      (i) => i.length === 1,
    );
    expect(approved.items[0]).toMatchObject({
      quoteId: b.id,
      state: 'approved',
      trace: { priceBookVersion: expect.any(String) },
    });

    const first = await api.get(`/search/quotes?customerName=zeta%20${tag}&limit=2`, sales);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.cursor).toEqual(expect.any(String));
    const second = await api.get(
      `/search/quotes?customerName=zeta%20${tag}&limit=2&cursor=${first.body.cursor}`,
      sales,
    );
    const ids = [...first.body.items, ...second.body.items].map((i: any) => i.quoteId);
    expect(new Set(ids)).toEqual(new Set([a.id, b.id, c.id]));
    const foreign = await api.get(`/search/quotes?region=apac&cursor=${first.body.cursor}`, sales);
    expect(foreign.status).toBe(400);

    // A partner's pages come from its channel's GSI partition; the cursor continues there.
    const partner = { token: 'local-partner-a' };
    const own = await api.get(`/search/quotes?customerName=zeta%20${tag}&limit=1`, partner);
    expect(own.body.items).toHaveLength(1);
    const rest = await api.get(
      `/search/quotes?customerName=zeta%20${tag}&limit=1&cursor=${own.body.cursor}`,
      partner,
    );
    expect([...own.body.items, ...rest.body.items].map((i: any) => i.quoteId).sort()).toEqual(
      [a.id, b.id].sort(),
    );
  });

  it('answers bad input with 400 and field details', async () => {
    for (const query of [
      '',
      'limit=0',
      'state=bogus',
      'expiresBefore=tomorrow',
      'unknown=1',
      'cursor=%25%25',
    ]) {
      const r = await api.get(`/search/quotes?${query}`, sales);
      expect(r.status, query).toBe(400);
      expect(r.body.code).toBe('MALFORMED_REQUEST');
      expect(r.body.details.fields.length).toBeGreaterThan(0);
    }
    expect((await api.get('/search/quotes?quoteNumber=x', {})).status).toBe(401);
  });
});

describe('GET /search/orders', () => {
  afterAll(resetFaults);

  it('finds a completed order by id, account, state, product family and task correlation id', async () => {
    const quote = await acceptedFiberQuote();
    const order = (await createOrder(quote)).body;
    await orderInState(order.id, 'completed');
    // Near-real-time and unordered: wait until every event of the order has been indexed.
    const body = await searchUntil(
      `/search/orders?orderId=${order.id}&state=completed`,
      'local-ops',
      (i) => i.length === 1 && i[0]!.downstreamSystems.length === 0 && i[0]!.correlationIds.length > 1,
    );
    const doc = body.items[0];
    expect(doc).toMatchObject({
      documentType: 'order',
      orderId: order.id,
      quoteId: quote.id,
      state: 'completed',
      slaBreached: false,
      downstreamSystems: [],
      productFamilies: ['Connectivity'],
    });
    expect(doc.correlationIds.length).toBeGreaterThan(1);
    const only = (i: Record<string, any>[]) => i.length === 1 && i[0]!.orderId === order.id;
    await searchUntil(`/search/orders?correlationId=${doc.correlationIds[0]}`, 'local-ops', only);
    await searchUntil(
      `/search/orders?accountId=${doc.accountId}&productFamily=connectivity`,
      'local-ops',
      only,
    );
    const partner = await api.get(`/search/orders?orderId=${order.id}`, { token: 'local-partner-a' });
    expect(partner.body.items).toEqual([]);
  });

  it('finds an order held in fallout by reason, downstream system and SLA breach', async () => {
    await setFault('provisioning', 'reject', 1);
    const quote = await acceptedFiberQuote();
    const order = (await createOrder(quote)).body;
    await orderInState(order.id, 'held');
    await resetFaults();
    const body = await searchUntil(
      `/search/orders?falloutReason=DOWNSTREAM_REJECTED&downstreamSystem=provisioning&slaBreached=true&accountId=${quote.customer.accountId}`,
      'local-ops',
      (i) => i.length === 1,
    );
    expect(body.items[0]).toMatchObject({
      orderId: order.id,
      state: 'held',
      falloutReason: 'DOWNSTREAM_REJECTED',
    });
  });

  it('falls back to the source for an exact order id not yet in the index', async () => {
    await useStackTables();
    const orderId = `o-${randomUUID()}`;
    const now = new Date().toISOString();
    // Written without outbox events: the search index never hears of it.
    await saveAggregate({
      kind: 'ORDER',
      id: orderId,
      expectedVersion: 0,
      aggregate: {
        id: orderId,
        state: 'acknowledged',
        channelId: 'sales-portal',
        accountId: 'acct-src',
        quoteId: 'q-src',
        quoteAcceptance: { snapshotHash: 'h', acceptedAt: now },
        billingAccountId: 'ba',
        currency: 'USD',
        catalogVersion: 'c',
        priceBookVersion: 'p',
        orderDate: now,
        updatedAt: now,
        createdBy: 'u',
        items: [
          {
            id: '1',
            action: 'add',
            quoteItemId: '1',
            offeringId: 'off-sdwan',
            productFamily: 'Connectivity',
            quantity: 1,
            options: {},
            price: { netOneTime: 0, netRecurring: 0, listOneTime: 0, listRecurring: 0, discountPercent: 0 },
          },
        ],
        tasks: [],
        falloutHistory: [],
        repairs: [],
      },
      events: [],
      correlationId: randomUUID(),
      now,
    });
    const r = await api.get(`/search/orders?orderId=${orderId}`, sales);
    expect(r.status).toBe(200);
    expect(r.body.freshness.source).toBe('source');
    expect(r.body.items).toMatchObject([
      { orderId, accountId: 'acct-src', state: 'acknowledged', productFamilies: ['Connectivity'] },
    ]);
    const hidden = await api.get(`/search/orders?orderId=${orderId}`, { token: 'local-partner-a' });
    expect(hidden.body.items).toEqual([]);
  });
});
