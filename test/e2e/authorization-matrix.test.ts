import { beforeAll, describe, expect, it } from 'vitest';
import { api as apiSpec, type Route } from '#topology';
import { client, eventually, ordersPath } from '../support/api-client.ts';
import { createOrder } from '../support/order-flow.ts';
import { acceptedQuote, quoteBody } from '../support/quote-flow.ts';

const api = client();
type Role = 'partner' | 'sales' | 'approver' | 'ops' | 'downstream' | 'finance' | 'support';
const tokens: Record<Role | 'partnerB', string> = {
  partner: 'local-partner-a',
  partnerB: 'local-partner-b',
  sales: 'local-sales',
  approver: 'local-approver',
  ops: 'local-ops',
  downstream: 'local-provisioning',
  finance: 'local-finance',
  support: 'local-support',
};
const all: Role[] = ['partner', 'sales', 'approver', 'ops'];
const partnerSales: Role[] = ['partner', 'sales'];
const channelRoles: Role[] = ['partner', 'sales', 'ops'];
/** Support reads order status, tracking and timelines (requirements 003 §20), nothing else. */
const orderReaders: Role[] = [...all, 'support'];
const trackingReaders: Role[] = [...channelRoles, 'support'];
/** Finance reads KPIs and reconciliation findings, never the audit evidence. */
const financeReports: Role[] = ['ops', 'finance'];
const quotes = '/tmf-api/quoteManagement/v4';
const inventory = '/tmf-api/productInventory/v4';

/**
 * Who may call each route (the handlers' `roles`). Every route of the topology must be here:
 * a new route without a declared authorization fails this test.
 */
const matrix: Record<string, Role[] | 'public'> = {
  'GET /health': 'public',
  'GET /openapi.json': 'public',
  'GET /ops/console': 'public',
  'GET /ops/console/{asset}': 'public',
  'GET /catalog': all,
  'POST /ops/catalog-releases': ['ops'],
  'POST /quotes': partnerSales,
  'GET /quotes/{quoteId}': all,
  'PATCH /quotes/{quoteId}': partnerSales,
  'POST /quotes/{quoteId}/price': partnerSales,
  'POST /quotes/{quoteId}/submit': partnerSales,
  'POST /quotes/{quoteId}/approvals': ['approver'],
  'POST /quotes/{quoteId}/accept': partnerSales,
  [`POST ${ordersPath}/productOrder`]: partnerSales,
  [`GET ${ordersPath}/productOrder`]: orderReaders,
  [`GET ${ordersPath}/productOrder/{id}`]: orderReaders,
  [`PATCH ${ordersPath}/productOrder/{id}`]: channelRoles,
  [`POST ${ordersPath}/productOrder/{id}/revision`]: channelRoles,
  [`POST ${ordersPath}/cancelProductOrder`]: channelRoles,
  [`GET ${ordersPath}/cancelProductOrder`]: channelRoles,
  [`GET ${ordersPath}/cancelProductOrder/{id}`]: channelRoles,
  [`POST ${ordersPath}/hub`]: channelRoles,
  [`DELETE ${ordersPath}/hub/{id}`]: channelRoles,
  [`GET ${quotes}/quote`]: all,
  [`POST ${quotes}/quote`]: partnerSales,
  [`GET ${quotes}/quote/{id}`]: all,
  [`PATCH ${quotes}/quote/{id}`]: ['partner', 'sales', 'approver'],
  [`POST ${quotes}/hub`]: channelRoles,
  [`DELETE ${quotes}/hub/{id}`]: channelRoles,
  [`GET ${inventory}/product`]: all,
  [`GET ${inventory}/product/{id}`]: all,
  [`POST ${inventory}/hub`]: channelRoles,
  [`DELETE ${inventory}/hub/{id}`]: channelRoles,
  'GET /ops/hub-deliveries': ['ops'],
  'GET /ops/refused-notices': ['ops'],
  'POST /ops/orders/{orderId}/tasks/{taskId}/repair': ['ops'],
  'POST /callbacks/orders/{orderId}/tasks/{taskId}': ['downstream'],
  'GET /views/order-tracking/{orderId}': trackingReaders,
  'GET /views/approval-inbox': ['approver', 'ops'],
  'GET /views/expiring-quotes': all,
  'GET /views/fallout': ['ops'],
  'GET /views/quote-worklist': channelRoles,
  'GET /views/stale-approvals': ['approver', 'ops'],
  'GET /views/order-sla-risk': channelRoles,
  'GET /views/accounts/{accountId}/timeline': trackingReaders,
  'GET /ops/dashboard': ['ops'],
  'POST /ops/reconciliation-runs': ['ops'],
  'GET /ops/reconciliation-runs/{runId}': financeReports,
  'GET /search/quotes': all,
  'GET /search/orders': trackingReaders,
  'GET /reports/kpis': financeReports,
  'GET /audit/quotes/{quoteId}': ['ops'],
  'GET /audit/orders/{orderId}': ['ops'],
};

const keyOf = (r: Route) => `${r.method} ${r.path}`;
/** A request that names nothing that exists and carries a body no command accepts: it cannot change state. */
const probe = (r: Route, token?: string, ids: (name: string) => string = (n) => `missing-${n}`) => {
  const path = r.path.replace(/\{(\w+)\}/g, (_m, name: string) => ids(name));
  const headers: Record<string, string> = token === undefined ? {} : { Authorization: token };
  const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : { matrixProbe: true };
  return fetch(`${api.baseUrl}${path}`, {
    method: r.method,
    headers: {
      ...headers,
      ...(body ? { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  }).then(async (res) => {
    const text = await res.text();
    try {
      return { status: res.status, body: JSON.parse(text || 'null') };
    } catch {
      return { status: res.status, body: text };
    }
  });
};

const cases = apiSpec.routes.flatMap((route) =>
  [...all, 'downstream', 'finance', 'support', 'none', 'malformed'].map(
    (who) => [keyOf(route), who, route] as const,
  ),
);

describe('authorization matrix: every route × every role, no token, malformed tokens', () => {
  it('declares who may call every route of the topology', () => {
    expect(apiSpec.routes.map(keyOf).filter((k) => !(k in matrix))).toEqual([]);
  });

  it.each(cases)('%s as %s', async (key, who, route) => {
    const allowed = matrix[key];
    if (who === 'none' || who === 'malformed') {
      const headers =
        who === 'none'
          ? [undefined]
          : [
              'Bearer __proto__',
              'Bearer constructor',
              'bearer local-ops',
              'Bearer',
              'Basic bG9jYWw6b3Bz',
              'Bearer local-ops extra',
            ];
      for (const header of headers) {
        const r = await probe(route, header);
        if (allowed === 'public') expect(r.status, header).toBeLessThan(500);
        else {
          expect(r.status, header).toBe(401);
          expect(r.body).toMatchObject({ code: 'UNAUTHORIZED', correlationId: expect.any(String) });
        }
      }
      return;
    }
    const r = await probe(route, `Bearer ${tokens[who as Role]}`);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
    if (allowed === 'public' || allowed?.includes(who as Role)) {
      expect([401, 403], JSON.stringify(r.body)).not.toContain(r.status);
    } else {
      expect(r.status, JSON.stringify(r.body)).toBe(403);
      expect(r.body).toMatchObject({ code: 'FORBIDDEN', status: '403', correlationId: expect.any(String) });
    }
  });
});

describe('another channel’s ids answer 404, never the resource', () => {
  let quoteId: string;
  let orderId: string;
  let accountId: string;
  beforeAll(async () => {
    const created = await api.post('/quotes', quoteBody(), { token: tokens.partner });
    quoteId = created.body.id;
    accountId = created.body.customer.accountId;
    const accepted = await acceptedQuote(tokens.partner);
    orderId = (await createOrder(accepted, tokens.partner)).body.id;
    // Fulfillment and projections run asynchronously: wait until the order is settled and A's views exist.
    await eventually(async () => {
      const o = await api.get(`${ordersPath}/productOrder/${orderId}`, { token: tokens.partner });
      return ['completed', 'held', 'failed', 'partial'].includes(o.body.state) ? true : undefined;
    });
    await eventually(async () =>
      (await api.get(`/views/order-tracking/${orderId}`, { token: tokens.partner })).status === 200
        ? true
        : undefined,
    );
    await eventually(async () =>
      (await api.get(`/views/accounts/${accountId}/timeline`, { token: tokens.partner })).status === 200
        ? true
        : undefined,
    );
  });

  // Installed products exist only once an order completes; their ids are not order ids.
  const idRoutes = () =>
    apiSpec.routes.filter(
      (r) =>
        /\{(quoteId|id|orderId|accountId)\}/.test(r.path) &&
        !r.path.includes('/hub/') &&
        !r.path.startsWith(inventory),
    );
  const idsFor = (r: Route) => (name: string) => {
    if (name === 'quoteId' || (name === 'id' && r.path.startsWith(quotes))) return quoteId;
    if (name === 'accountId') return accountId;
    if (name === 'taskId') return 'BILLING_HANDOFF';
    return orderId;
  };

  const etags = async () =>
    Promise.all([
      api.get(`/quotes/${quoteId}`, { token: tokens.partner }).then((r) => r.headers.get('etag')),
      api
        .get(`${ordersPath}/productOrder/${orderId}`, { token: tokens.partner })
        .then((r) => r.headers.get('etag')),
    ]);

  it('partner B gets 404 on each of partner A’s quotes and orders, sees none of A’s account entries and changes nothing; partner A is served', async () => {
    const before = await etags();
    const partnerRoutes = idRoutes().filter((route) => {
      const allowed = matrix[keyOf(route)];
      return (
        allowed !== 'public' &&
        allowed?.includes('partner') &&
        !route.path.includes('cancelProductOrder/') &&
        // Product isolation is proven on installed products (installed-base.test.ts).
        !route.path.startsWith(inventory)
      );
    });
    expect(partnerRoutes.length).toBeGreaterThanOrEqual(8);
    for (const route of partnerRoutes) {
      const other = await probe(route, `Bearer ${tokens.partnerB}`, idsFor(route));
      const text = JSON.stringify(other.body);
      expect(text).not.toContain('partner-a');
      if (route.path.endsWith('/timeline')) {
        // An account timeline is filtered to the caller's channel: B sees none of A's entries.
        expect(other.status).toBe(200);
        expect(text).not.toContain(quoteId);
      } else if (route.method === 'GET') expect(other.status, `${keyOf(route)} ${text}`).toBe(404);
      // A command refuses a malformed body (400) or a missing If-Match (428) before it looks anything up.
      else expect([400, 404, 428], `${keyOf(route)} ${text}`).toContain(other.status);
    }
    expect(await etags()).toEqual(before);
    for (const route of partnerRoutes.filter((r) => r.method === 'GET')) {
      const own = await probe(route, `Bearer ${tokens.partner}`, idsFor(route));
      expect(own.status, `${keyOf(route)} ${JSON.stringify(own.body)}`).toBe(200);
    }
  });
});
