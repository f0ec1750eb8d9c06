import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { api as apiSpec, type Route } from '#topology';
import { client, eventually } from '../support/api-client.ts';
import { createOrder } from '../support/order-flow.ts';
import { acceptedQuote, fiberLine, quoteBody } from '../support/quote-flow.ts';

const api = client();
const seed = 20261124;
const runs = 5200;
const concurrency = 8;
/** Every route that changes state, and through them every path parameter. */
const mutating = apiSpec.routes.filter((r) => r.method !== 'GET');

type Fixture = { quoteId: string; orderId: string; accountId: string };
type Probe = {
  route: Route;
  ids: Record<string, string>;
  authorization: string | undefined;
  key: string | undefined;
  body: string;
  /** Why this request must be refused: at least one ingredient is hostile. */
  poison: string;
};

// ---- ingredients --------------------------------------------------------------------------------

const validTokens = ['local-partner-a', 'local-partner-b', 'local-sales', 'local-approver', 'local-ops'];
const hostileAuthorization = fc.constantFrom(
  undefined,
  'Bearer __proto__',
  'Bearer constructor',
  'Bearer prototype',
  'Bearer hasOwnProperty',
  'bearer local-sales',
  'Bearer  local-sales',
  'Basic bG9jYWw6c2FsZXM=',
  'Bearer',
  `Bearer ${'x'.repeat(5000)}`,
  'Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoib3BzIn0.',
);
const anyAuthorization = fc.oneof(
  fc.constantFrom(...validTokens).map((t) => `Bearer ${t}`),
  hostileAuthorization,
);
const hostileId = fc.oneof(
  fc.integer({ min: 129, max: 3000 }).map((n) => 'q'.repeat(n)),
  fc.constantFrom(
    '%zz',
    '%E0%A4%A',
    '%',
    '%2F..%2F',
    '__proto__%20x',
    'a%00b',
    '%F0%9F%92%A9',
    'x%20y',
    '~~~~%7E',
  ),
  fc.string({ minLength: 1, maxLength: 40 }).map((s) => encodeURIComponent(`${s}/`)),
);
const hostileKey = fc.constantFrom(undefined, '', ' ', 'k'.repeat(256), 'ключ', 'a\tb');
const validKey = fc.uuid();

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** Bodies no route accepts: not JSON, not an object, nested too deep, or over the size limit. */
const invalidBody = fc.oneof(
  fc.constantFrom('{', '[', 'null', '"x"', '42', '[]', '{"a":}', '\u0000', 'true'),
  fc.integer({ min: 17, max: 5000 }).map((d) => `{"customer":${deep(d)},"lines":${deep(3)}}`),
  fc.integer({ min: 65 * 1024, max: 200 * 1024 }).map((n) => JSON.stringify({ externalId: 'x'.repeat(n) })),
);
/** Field-level hostility: over-long strings, property-named keys, wrong types (valid JSON objects). */
const hostileFields = (fixture: Fixture) =>
  fc.oneof(
    fc
      .integer({ min: 201, max: 4000 })
      .map((n) => JSON.stringify({ ...quoteBody([fiberLine()]), externalId: 'e'.repeat(n) })),
    fc
      .integer({ min: 129, max: 3000 })
      .map((n) => JSON.stringify({ ...quoteBody(), customer: { accountId: 'a'.repeat(n), name: 'fuzz' } })),
    fc.integer({ min: 101, max: 3000 }).map((n) => JSON.stringify({ catalogVersion: 'c'.repeat(n) })),
    fc.constantFrom(
      '{"__proto__":{"polluted":1}}',
      JSON.stringify({ constructor: { prototype: { x: 1 } } }),
      JSON.stringify({ lines: 'x', currency: 1 }),
      JSON.stringify({ decision: 'MAYBE', comment: 1 }),
      JSON.stringify({ action: 'EXPLODE', reasonCode: '' }),
      JSON.stringify({ quote: [{ id: fixture.quoteId }], productOrderItem: [] }),
      JSON.stringify({ productOrder: { id: fixture.orderId } }),
      JSON.stringify({ callback: 'javascript:alert(1)' }),
    ),
  );
/** Plausible bodies: on their own they might be accepted, so another ingredient must poison the request. */
const plausibleBody = (fixture: Fixture) =>
  fc.constantFrom(
    '{}',
    JSON.stringify(quoteBody()),
    JSON.stringify({ decision: 'APPROVE', comment: 'ok' }),
    JSON.stringify({ action: 'RETRY', reasonCode: 'FUZZ' }),
    JSON.stringify({ productOrder: { id: fixture.orderId }, cancellationReason: 'fuzz' }),
    JSON.stringify({ callback: 'https://example.invalid/cb' }),
  );

const idFor = (fixture: Fixture, route: Route, name: string) =>
  name === 'quoteId' || (name === 'id' && route.path.includes('quoteManagement'))
    ? fixture.quoteId
    : name === 'accountId'
      ? fixture.accountId
      : name === 'taskId'
        ? 'BILLING_HANDOFF'
        : fixture.orderId;

const probes = (fixture: Fixture): fc.Arbitrary<Probe> =>
  fc
    .record({
      route: fc.constantFrom(...mutating),
      poison: fc.constantFrom('token', 'id', 'body', 'key', 'channel'),
      hostileAuthorization,
      anyAuthorization,
      hostileId,
      invalidBody,
      plausibleBody: plausibleBody(fixture),
      hostileKey,
      validKey,
      anyBody: fc.oneof(invalidBody, hostileFields(fixture), plausibleBody(fixture)),
    })
    .map((g) => {
      const names = [...g.route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      // Id and channel poisons need a path parameter; a key poison needs an (idempotent) POST.
      const poison =
        ((g.poison === 'id' || g.poison === 'channel') && names.length === 0) ||
        (g.poison === 'key' && g.route.method !== 'POST')
          ? 'body'
          : g.poison;
      const ids = Object.fromEntries(
        names.map((n, i) => [
          n,
          poison === 'id' && i === names.length - 1 ? g.hostileId : idFor(fixture, g.route, n),
        ]),
      );
      const authorization =
        poison === 'token'
          ? g.hostileAuthorization
          : poison === 'channel'
            ? 'Bearer local-partner-b'
            : g.anyAuthorization;
      const body = poison === 'body' ? g.invalidBody : poison === 'key' ? g.plausibleBody : g.anyBody;
      return {
        route: g.route,
        ids,
        authorization,
        // A TMF POST without a key may identify itself (externalId, order, callback): a missing key is
        // no poison there, a malformed one is.
        key:
          poison !== 'key'
            ? g.validKey
            : g.hostileKey === undefined && g.route.path.startsWith('/tmf-api/')
              ? ''
              : g.hostileKey,
        body,
        poison,
      };
    });

// ---- the run ------------------------------------------------------------------------------------

const send = async (p: Probe) => {
  const path = p.route.path.replace(/\{(\w+)\}/g, (_m, name: string) => p.ids[name] ?? '');
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (p.authorization !== undefined) headers.Authorization = p.authorization;
  if (p.key !== undefined) headers['Idempotency-Key'] = p.key;
  try {
    const res = await fetch(`${api.baseUrl}${path}`, { method: p.route.method, headers, body: p.body });
    const text = await res.text();
    return { status: res.status, text };
  } catch (error) {
    // Header values fetch itself refuses (control characters) never reach the server.
    if (error instanceof TypeError && /header|ByteString|Invalid/.test(String(error.cause ?? error.message)))
      return { status: 0, text: 'refused by the client' };
    throw error;
  }
};

/** Reads that survive a keep-alive socket the server closed at the same moment (undici reuses it). */
const retried = async <T>(read: () => Promise<T>): Promise<T> => {
  try {
    return await read();
  } catch {
    return read();
  }
};

const state = async (f: Fixture) => {
  const quote = await retried(() => api.get(`/quotes/${f.quoteId}`, { token: 'local-partner-a' }));
  const order = await retried(() =>
    api.get(`/tmf-api/productOrderingManagement/v4/productOrder/${f.orderId}`, { token: 'local-partner-a' }),
  );
  const events = await retried(() => api.get(`/ops/events?orderId=${f.orderId}`, { token: 'local-ops' }));
  return {
    quote: [quote.status, quote.headers.get('etag'), quote.body.state, quote.body.pricingStatus],
    order: [order.status, order.headers.get('etag'), order.body.state],
    orderEvents: events.body.count,
  };
};

describe('hostile requests (fast-check, seeded) across every mutating route and path parameter', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    const draft = await api.post('/quotes', quoteBody(), { token: 'local-partner-a' });
    const accepted = await acceptedQuote('local-partner-a');
    const orderId = (await createOrder(accepted, 'local-partner-a')).body.id as string;
    // Let fulfillment of the fixture order finish so that its state is stable while we fuzz.
    await eventually(async () => {
      const o = await api.get(`/tmf-api/productOrderingManagement/v4/productOrder/${orderId}`, {
        token: 'local-partner-a',
      });
      return ['completed', 'held', 'failed', 'partial'].includes(o.body.state) ? true : undefined;
    });
    fixture = { quoteId: draft.body.id, orderId, accountId: draft.body.customer.accountId };
  });

  it(`${runs} generated requests: every one refused with a 4xx in the error shape, none a 5xx, nothing changed`, async () => {
    const samples = fc.sample(probes(fixture), { seed, numRuns: runs });
    expect(samples.length).toBe(runs);
    const coveredRoutes = new Set(samples.map((p) => `${p.route.method} ${p.route.path}`));
    expect(coveredRoutes.size).toBe(mutating.length);
    const before = await state(fixture);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < samples.length) {
        const p = samples[next++] as Probe;
        const r = await send(p);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 0) continue;
        const describeProbe = () =>
          `${r.status} ${p.route.method} ${p.route.path} poison=${p.poison} ids=${JSON.stringify(p.ids).slice(0, 120)} auth=${String(p.authorization).slice(0, 40)} body=${p.body.slice(0, 120)} → ${r.text.slice(0, 200)}`;
        let body: { code?: unknown; correlationId?: unknown } | undefined;
        try {
          body = JSON.parse(r.text);
        } catch {
          body = undefined;
        }
        if (
          r.status < 400 ||
          r.status >= 500 ||
          typeof body?.code !== 'string' ||
          typeof body.correlationId !== 'string'
        )
          failures.push(describeProbe());
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    console.info('fuzz statuses', JSON.stringify(Object.fromEntries(statuses)));
    // Header values fetch refuses to send (status 0) do not count: at least 5,000 reached the API.
    expect(runs - (statuses.get(0) ?? 0)).toBeGreaterThanOrEqual(5000);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(await state(fixture)).toEqual(before);
  });
});
