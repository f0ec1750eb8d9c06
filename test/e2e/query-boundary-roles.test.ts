import { beforeAll, describe, expect, it } from 'vitest';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { createOrder, orderBody } from '../support/order-flow.ts';
import { acceptedQuote, fiberLine, quoteBody } from '../support/quote-flow.ts';

/**
 * Roles at the query boundary (requirements 003 §20), enforced by the server: finance reads KPIs
 * and reconciliation findings but no audit evidence; support reads order status, tracking and
 * timelines without approval comments or margins; a seller limited to a region sees only its
 * region's quotes (and those without one). Who may call which route: authorization-matrix.test.ts.
 */
const api = client();
const quotesPath = '/tmf-api/quoteManagement/v4';
const tokens = {
  ops: { token: 'local-ops' },
  sales: { token: 'local-sales' },
  emea: { token: 'local-sales-emea' },
  finance: { token: 'local-finance' },
  support: { token: 'local-support' },
};
const keysOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(keysOf)
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)])
      : [];
const confidential = /^(comment|approvals?|margin\w*|\w*Margin\w*|\w*Cost\w*)$/;

const regionQuote = async (region?: string) => {
  const body = quoteBody([fiberLine()]);
  const r = await api.post(
    '/quotes',
    { ...body, customer: { ...body.customer, ...(region ? { region } : {}) } },
    tokens.sales,
  );
  expect(r.status).toBe(201);
  return r.body as { id: string; customer: { name: string; accountId: string } };
};

describe('finance and support', () => {
  let order: Record<string, any>;
  let quoteId: string;
  let accountId: string;
  const timelineAccount = () => (accountId.includes(':') ? accountId : `sales-portal:${accountId}`);
  beforeAll(async () => {
    // An approver's comment and the quote's margin exist: support must not read them anywhere.
    const quote = await acceptedQuote('local-sales', [fiberLine(25)]);
    quoteId = quote.id;
    accountId = quote.customer.accountId;
    order = (await createOrder(quote as never)).body;
    await eventually(async () =>
      (await api.get(`/views/order-tracking/${order.id}`, tokens.support)).status === 200 ? true : undefined,
    );
    // Staff name an account by its real id: the channel's, then the channel's own account id.
    await eventually(async () => {
      const r = await api.get(
        `/views/accounts/${encodeURIComponent(timelineAccount())}/timeline`,
        tokens.support,
      );
      return r.body.count > 0 ? true : undefined;
    });
  });

  it('support reads the order, its tracking row and the account timeline without approval comments or margins', async () => {
    const reads = [
      await api.get(`${ordersPath}/productOrder/${order.id}`, tokens.support),
      await api.get(`${ordersPath}/productOrder?limit=5`, tokens.support),
      await api.get(`/views/order-tracking/${order.id}`, tokens.support),
      await api.get(`/views/accounts/${encodeURIComponent(timelineAccount())}/timeline`, tokens.support),
      await api.get(`/search/orders?orderId=${order.id}`, tokens.support),
    ];
    for (const r of reads) {
      expect(r.status, JSON.stringify(r.body).slice(0, 200)).toBe(200);
      expect(keysOf(r.body).filter((k) => confidential.test(k))).toEqual([]);
    }
    expect(reads[0]!.body).toMatchObject({ id: order.id, state: expect.any(String) });
    // The quote itself (approval decisions with comments, margin) stays closed to support.
    expect((await api.get(`/quotes/${quoteId}`, tokens.sales)).body.approval).toBeDefined();
    for (const path of [`/quotes/${quoteId}`, `${quotesPath}/quote/${quoteId}`, `/audit/orders/${order.id}`])
      expect((await api.get(path, tokens.support)).status, path).toBe(403);
  });

  it('finance reads KPIs and reconciliation findings, never the audit evidence', async () => {
    const started = await api.post(
      '/ops/reconciliation-runs',
      { quoteIds: [quoteId], checks: ['accepted-quote-converted'] },
      tokens.ops,
    );
    expect(started.status).toBe(202);
    const run = await eventually(async () => {
      const r = await api.get(`/ops/reconciliation-runs/${started.body.runId}`, tokens.finance);
      return r.status === 200 && r.body.status !== 'RUNNING' ? r : undefined;
    });
    expect(run.body).toMatchObject({ findings: expect.any(Array), scope: expect.any(Object) });
    const today = new Date().toISOString().slice(0, 10);
    expect((await api.get(`/reports/kpis?from=${today}&to=${today}`, tokens.finance)).status).toBe(200);
    for (const path of [`/audit/quotes/${quoteId}`, `/audit/orders/${order.id}`, `/quotes/${quoteId}`])
      expect((await api.get(path, tokens.finance)).status, path).toBe(403);
    expect((await api.post('/ops/reconciliation-runs', { quoteIds: [quoteId] }, tokens.finance)).status).toBe(
      403,
    );
  });
});

describe('a seller limited to a region', () => {
  let apac: Awaited<ReturnType<typeof regionQuote>>;
  let emea: Awaited<ReturnType<typeof regionQuote>>;
  let none: Awaited<ReturnType<typeof regionQuote>>;
  beforeAll(async () => {
    [apac, emea, none] = await Promise.all([regionQuote('APAC'), regionQuote('EMEA'), regionQuote()]);
  });

  it('reads and changes quotes of its region and without one; another region’s answer 404 as if absent', async () => {
    for (const q of [emea, none]) {
      expect((await api.get(`/quotes/${q.id}`, tokens.emea)).status).toBe(200);
      expect((await api.get(`${quotesPath}/quote/${q.id}`, tokens.emea)).status).toBe(200);
    }
    const before = (await api.get(`/quotes/${apac.id}`, tokens.sales)).headers.get('etag');
    for (const r of [
      await api.get(`/quotes/${apac.id}`, tokens.emea),
      await api.get(`${quotesPath}/quote/${apac.id}`, tokens.emea),
      await api.post(`/quotes/${apac.id}/price`, {}, tokens.emea),
    ]) {
      expect(r.status).toBe(404);
      expect(JSON.stringify(r.body)).not.toContain('APAC');
    }
    // Nothing changed, and the seller without a region restriction still reads it.
    const unrestricted = await api.get(`/quotes/${apac.id}`, tokens.sales);
    expect(unrestricted.status).toBe(200);
    expect(unrestricted.headers.get('etag')).toBe(before);
  });

  it('quotes for its region or none, not for another region', async () => {
    const body = quoteBody([fiberLine()]);
    const forRegion = (region: string) => ({ ...body, customer: { ...body.customer, region } });
    expect((await api.post('/quotes', forRegion('EMEA'), tokens.emea)).status).toBe(201);
    const other = await api.post('/quotes', forRegion('APAC'), tokens.emea);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('FORBIDDEN');
  });

  it('cannot order another region’s accepted quote', async () => {
    const body = quoteBody([fiberLine()]);
    const created = await api.post(
      '/quotes',
      { ...body, customer: { ...body.customer, region: 'APAC' } },
      tokens.sales,
    );
    const id = created.body.id as string;
    for (const step of ['price', 'submit', 'accept'])
      expect((await api.post(`/quotes/${id}/${step}`, {}, tokens.sales)).status, step).toBe(200);
    const accepted = (await api.get(`/quotes/${id}`, tokens.sales)).body;
    const r = await api.post(`${ordersPath}/productOrder`, orderBody(accepted), tokens.emea);
    expect(r.status).toBe(404);
  });

  it('lists and finds only quotes of its region or without one', async () => {
    const found = await eventually(async () => {
      const r = await api.get(`/search/quotes?quoteNumber=${apac.id}`, tokens.sales);
      return r.body.items?.length ? r : undefined;
    });
    expect(found.body.items[0].quoteId).toBe(apac.id);
    for (const q of [apac, emea, none]) {
      const r = await api.get(`/search/quotes?quoteNumber=${q.id}`, tokens.emea);
      expect(r.status).toBe(200);
      expect(r.body.items.map((i: { quoteId: string }) => i.quoteId)).toEqual(q === apac ? [] : [q.id]);
    }
    // The TMF648 list, newest first: the unrestricted seller's page holds the APAC quote, hers not.
    const ids = async (token: { token: string }) => {
      const r = await api.get(`${quotesPath}/quote?limit=100`, token);
      expect(r.status).toBe(200);
      return (r.body as { id: string }[]).map((q) => q.id);
    };
    expect(await ids(tokens.sales)).toContain(apac.id);
    expect(await ids(tokens.emea)).not.toContain(apac.id);
    // Rows of these views do not carry the region: closed to a region-limited seller.
    for (const view of [
      '/views/quote-worklist',
      '/views/expiring-quotes',
      `/views/accounts/${apac.customer.accountId}/timeline`,
    ])
      expect((await api.get(view, tokens.emea)).status, view).toBe(403);
    // So are the channel's notifications, which carry every region's quotes.
    const hub = await api.post(
      `${quotesPath}/hub`,
      { callback: 'https://listener.example.com/cb' },
      tokens.emea,
    );
    expect(hub.status).toBe(403);
  });
});
