import { PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approverItem } from '#domain/quote/approver-record';
import { documentClient } from '#plumbing/clients';
import { api as apiSpec, functions, resourceEnv } from '#topology';
import { client, ordersPath, quotesPath } from '../support/api-client.ts';
import { fiberLine, quoteBody } from '../support/quote-flow.ts';
import { useStackTables } from '../support/stack-tables.ts';

const api = client();
const tokens = [
  'local-partner-a',
  'local-partner-b',
  'local-sales',
  'local-sales-emea',
  'local-approver',
  'local-ops',
  'local-finance',
  'local-support',
];

// Values a hostile client sends: bounds, reversed ranges, numbers in odd forms, ids of the wrong shape.
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
  fc.constantFrom('', ' ', '-1', '0', '101', '1e9', '1.5', 'NaN', '0x10', 'true', '__proto__', '../x'),
  fc.constantFrom('2026-12-31', '2026-01-01', '2026-01-01T00:00:00Z', '9999-99-99', '2026-02-30T25:61:00Z'),
  fc.constantFrom('inProgress', 'completed', 'pending', 'acknowledged', 'held', 'a'.repeat(3000)),
);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const forgedCursors = [
  b64({ a: '2026-12-31T00:00:00.000Z#zzz' }),
  b64({ a: '0' }),
  b64({ pk: 'Q#channel#partner-a', sk: '~' }),
  b64({ pk: 'x', sk: 'y' }),
  'A'.repeat(60),
  '%%',
];

/**
 * The query of every list, view and search route: each list (its function seals cursors) must be
 * here, so a new list route fails this test until its parameters are fuzzed too.
 */
const text = { limit: hostile, cursor: hostile };
const queries: Record<string, Record<string, fc.Arbitrary<string>>> = {
  [`GET ${ordersPath}/productOrder`]: {
    ...text,
    ...Object.fromEntries(
      ['state', 'quoteId', 'accountId', 'channelId', 'externalId', 'fields', 'offset'].map((k) => [
        k,
        hostile,
      ]),
    ),
    ...Object.fromEntries(['gt', 'gte', 'lt', 'lte'].map((op) => [`orderDate.${op}`, hostile])),
  },
  [`GET ${ordersPath}/cancelProductOrder`]: { ...text, channelId: hostile, fields: hostile, offset: hostile },
  [`GET ${quotesPath}/quote`]: {
    ...text,
    state: hostile,
    channelId: hostile,
    fields: hostile,
    offset: hostile,
  },
  'GET /ops/hub-deliveries': { ...text, subscriptionId: hostile },
  'GET /ops/refused-notices': { ...text, downstream: hostile, orderId: hostile },
  'GET /views/order-tracking/{orderId}': {},
  'GET /views/approval-inbox': text,
  'GET /views/expiring-quotes': { ...text, withinDays: hostile },
  'GET /views/fallout': text,
  'GET /views/quote-worklist': { ...text, owner: hostile, channelId: hostile },
  'GET /views/stale-approvals': text,
  'GET /views/order-sla-risk': text,
  'GET /views/accounts/{accountId}/timeline': { ...text, source: hostile },
  'GET /search/quotes': {
    ...text,
    ...Object.fromEntries(
      ['customerName', 'quoteNumber', 'state', 'offeringId', 'expiresBefore', 'region', 'externalId'].map(
        (k) => [k, hostile],
      ),
    ),
  },
  'GET /search/orders': {
    ...text,
    ...Object.fromEntries(
      [
        'orderId',
        'accountId',
        'state',
        'falloutReason',
        'downstreamSystem',
        'slaBreached',
        'productFamily',
        'correlationId',
      ].map((k) => [k, hostile]),
    ),
  },
  'GET /reports/kpis': { from: hostile, to: hostile },
};

const listRoutes = apiSpec.routes.filter(
  (r) => (functions as Record<string, { sealsCursors?: boolean }>)[r.function]?.sealsCursors,
);

const expectApiHeaders = (r: { headers: Headers }, what: string) => {
  expect(r.headers.get('cache-control'), what).toBe('no-store');
  expect(r.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(r.headers.get('x-correlation-id'), what).toBeTruthy();
};

describe('hostile queries on every list, view and search', () => {
  const a: { quoteIds: string[]; cursor: string; account: string } = {
    quoteIds: [],
    cursor: '',
    account: '',
  };

  beforeAll(async () => {
    a.account = `acct-fuzz-${Date.now().toString(36)}`;
    for (let i = 0; i < 2; i++) {
      const q = await api.post('/quotes', quoteBody([fiberLine()], a.account), { token: 'local-partner-a' });
      expect(q.status).toBe(201);
      a.quoteIds.push(q.body.id);
    }
    const page = await api.get(`${quotesPath}/quote?limit=1`, { token: 'local-partner-a' });
    a.cursor = page.headers.get('x-next-cursor') ?? '';
    expect(a.cursor).not.toBe('');
  });

  it('every list route of the route table has its parameters fuzzed', () => {
    const missing = listRoutes.map((r) => `${r.method} ${r.path}`).filter((k) => !(k in queries));
    expect(missing, 'list routes without a fuzzed query').toEqual([]);
    const known = new Set(apiSpec.routes.map((r) => `${r.method} ${r.path}`));
    expect(Object.keys(queries).filter((k) => !known.has(k))).toEqual([]);
  });

  it('answers forged, foreign and random parameters and cursors with 4xx or data, never 5xx or another channel’s item', async () => {
    const tampered = `${a.cursor.slice(0, -2)}${a.cursor.endsWith('A') ? 'B' : 'A'}A`;
    const cursor = fc.constantFrom(...forgedCursors, a.cursor, tampered);
    const request = fc.constantFrom(...Object.keys(queries)).chain((route) =>
      fc.record({
        route: fc.constant(route),
        token: fc.constantFrom(...tokens),
        id: fc.constantFrom(a.account, a.quoteIds[0]!, 'ord-none', 'x'.repeat(129)),
        query: fc.record(
          { ...queries[route], ...(queries[route]!.cursor ? { cursor } : {}) },
          { requiredKeys: [] },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async ({ route, token, id, query }) => {
        const path = route.slice(4).replace(/\{\w+\}/g, encodeURIComponent(id));
        const search = new URLSearchParams(query as Record<string, string>).toString();
        const r = await api.get(`${path}${search ? `?${search}` : ''}`, { token });
        const what = `${token} ${path}?${search} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;
        expect(r.status, what).toBeLessThan(500);
        expectApiHeaders(r, what);
        if (token === 'local-partner-b') {
          // An error may name what the caller itself sent; data may name nothing of partner A.
          const text = JSON.stringify(r.body);
          const sent = `${path}?${search}`;
          for (const foreign of ['partner-a', a.account, ...a.quoteIds])
            if (r.status < 400 || !sent.includes(foreign)) expect(text, what).not.toContain(foreign);
        }
      }),
      { seed: 2112, numRuns: 150, endOnFailure: true },
    );
  });

  it('an orderDate range is data when its bounds are ordered and a 400 naming the bound when not, never a 5xx', async () => {
    const day = fc.integer({ min: 0, max: 800 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000));
    const range = fc.record({
      lower: day,
      upper: day,
      ops: fc.constantFrom(['gte', 'lt'], ['gt', 'lte'], ['gte', 'lte'], ['gt', 'lt']),
      token: fc.constantFrom('local-partner-b', 'local-ops'),
    });
    await fc.assert(
      fc.asyncProperty(range, async ({ lower, upper, ops: [lo, hi], token }) => {
        const query = `orderDate.${lo}=${lower.toISOString()}&orderDate.${hi}=${upper.toISOString()}`;
        const r = await api.get(`${ordersPath}/productOrder?${query}&limit=5`, { token });
        const empty = lower > upper || (lower.getTime() === upper.getTime() && (lo === 'gt' || hi === 'lt'));
        expect(r.status, query).toBe(empty ? 400 : 200);
        if (empty)
          expect(r.body.details.fields, query).toEqual([
            expect.objectContaining({ field: `orderDate.${lo}` }),
          ]);
      }),
      { seed: 2112, numRuns: 30, endOnFailure: true },
    );
  });

  it('refuses a reversed date range with the fields named, and another channel’s or a tampered cursor as CURSOR_INVALID', async () => {
    const reversed = await api.get(
      `${ordersPath}/productOrder?orderDate.gte=2026-12-31&orderDate.lt=2026-01-01`,
      {
        token: 'local-partner-b',
      },
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.details.fields).toEqual([expect.objectContaining({ field: 'orderDate.gte' })]);
    const foreign = await api.get(`${quotesPath}/quote?limit=1&cursor=${a.cursor}`, {
      token: 'local-partner-b',
    });
    expect([foreign.status, foreign.body.code]).toEqual([400, 'CURSOR_INVALID']);
    const otherQuery = await api.get(`${quotesPath}/quote?limit=1&state=pending&cursor=${a.cursor}`, {
      token: 'local-partner-a',
    });
    expect([otherQuery.status, otherQuery.body.code]).toEqual([400, 'CURSOR_INVALID']);
    const own = await api.get(`${quotesPath}/quote?limit=1&cursor=${a.cursor}`, { token: 'local-partner-a' });
    expect(own.status).toBe(200);
    // Opaque: the cursor does not carry the sort key (creation time and id) in readable form.
    expect(Buffer.from(a.cursor, 'base64url').toString('latin1')).not.toMatch(/20\d\d-|quo/);
  });
});

describe('headers, health and the local stack’s own answers', () => {
  it('a missing console asset is a 404 with a correlation id and the API headers', async () => {
    const r = await api.get('/ops/console/no-such-asset.js', { headers: { 'X-Correlation-Id': 'probe-1' } });
    expect(r.status).toBe(404);
    expect(r.headers.get('x-correlation-id')).toBe('probe-1');
    expect(r.body.correlationId).toBe('probe-1');
    expectApiHeaders(r, 'console 404');
    expectApiHeaders(await api.get('/no/such/route'), 'unknown route');
    expectApiHeaders(await api.get('/catalog'), 'gateway 401');
  });

  it('/health without a token says only ok/degraded and the degraded names', async () => {
    const r = await api.get('/health');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['degraded', 'status']);
    expectApiHeaders(r, 'health');
  });

  it('the internal port refuses a request without the stack credential (a forged PutEvents)', async () => {
    const full = await api.get('/health', { token: 'local-ops' });
    const internal = new URL(full.body.components.internalServices.endpoint as string);
    const forged = await fetch(`${internal.origin}/`, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSEvents.PutEvents', 'Content-Type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ Entries: [{ Source: 'cpq.quotes', DetailType: 'x', Detail: '{}' }] }),
    });
    expect(forged.status).toBe(403);
  });

  it('GET /quotes/local is the quote route for a partner (404 of a quote), not a local ops route', async () => {
    const r = await api.get('/quotes/local', { token: 'local-partner-a' });
    expect([r.status, r.body.code]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('approver authority at decision time', () => {
  const setLimit = (percent: number) =>
    documentClient().send(
      new PutCommand({
        TableName: process.env[resourceEnv.tables.aggregates],
        Item: approverItem('approver-user', percent),
      }),
    );

  beforeAll(useStackTables);
  afterAll(() => setLimit(40));

  it('a lowered limit refuses the very next decision, though the token still claims 40 %', async () => {
    const pending = async () => {
      const q = await api.post('/quotes', quoteBody([fiberLine(25)]), { token: 'local-sales' });
      for (const step of ['price', 'submit'])
        expect((await api.post(`/quotes/${q.body.id}/${step}`, {}, { token: 'local-sales' })).status).toBe(
          200,
        );
      return q.body.id as string;
    };
    const decide = (id: string) =>
      api.post(
        `/quotes/${id}/approvals`,
        { decision: 'APPROVE', comment: 'ok' },
        { token: 'local-approver' },
      );
    const [first, second] = [await pending(), await pending()];
    expect((await decide(first)).status).toBe(200);
    await setLimit(20);
    const refused = await decide(second);
    expect([refused.status, refused.body.code]).toEqual([422, 'AUTHORITY_EXCEEDED']);
    expect(refused.body.details).toMatchObject({ approvalLimitPercent: 20, requiredPercent: 25 });
  });
});
