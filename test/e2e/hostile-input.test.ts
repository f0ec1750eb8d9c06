import { describe, expect, it } from 'vitest';
import { client, ordersPath } from '../support/api-client.ts';
import { orderBody } from '../support/order-flow.ts';
import { acceptedQuote, quoteBody } from '../support/quote-flow.ts';

const api = client();

/** The contract's error shape with a correlation id, header and body agreeing. */
const expectErrorShape = (
  r: { status: number; headers: Headers; body: any },
  status: number,
  code: string,
) => {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body).toMatchObject({
    code,
    status: String(status),
    reason: expect.any(String),
    message: expect.any(String),
  });
  expect(r.body.correlationId).toMatch(/\S/);
  expect(r.headers.get('x-correlation-id')).toBe(r.body.correlationId);
};

const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${api.baseUrl}${path}`, init).then(async (res) => ({
    status: res.status,
    headers: res.headers,
    body: JSON.parse((await res.text()) || 'null'),
  }));

describe('API Gateway semantics of the local gateway', () => {
  it('answers an unknown route 404 NOT_FOUND and a known path with a wrong method 405 with Allow, in the error shape', async () => {
    expectErrorShape(await api.get('/nope', { token: 'local-sales' }), 404, 'NOT_FOUND');
    expectErrorShape(await api.get('/nope'), 404, 'NOT_FOUND');
    const put = await api.put('/quotes', {}, { token: 'local-sales' });
    expectErrorShape(put, 405, 'METHOD_NOT_ALLOWED');
    expect(put.headers.get('allow')).toBe('POST');
  });

  it('answers a missing, malformed or property-named token 401 in the error shape', async () => {
    expectErrorShape(await api.get('/catalog'), 401, 'UNAUTHORIZED');
    for (const token of ['__proto__', 'constructor', 'toString', 'nope']) {
      expectErrorShape(await api.post('/quotes', quoteBody(), { token }), 401, 'UNAUTHORIZED');
    }
    for (const authorization of [
      'bearer local-sales',
      'Bearer  local-sales',
      'local-sales',
      'Basic bG9jYWw=',
    ]) {
      expectErrorShape(
        await api.get('/catalog', { headers: { Authorization: authorization } }),
        401,
        'UNAUTHORIZED',
      );
    }
  });

  it('answers a bad percent-encoding in a path parameter 400', async () => {
    expectErrorShape(await api.get('/quotes/%E0%A4%A', { token: 'local-sales' }), 400, 'MALFORMED_REQUEST');
    expectErrorShape(
      await api.post('/quotes/%zz/price', {}, { token: 'local-sales' }),
      400,
      'MALFORMED_REQUEST',
    );
  });

  it('keeps the AWS emulation endpoints and downstream simulators off the public API port', async () => {
    const putEvents = await raw('/', {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSEvents.PutEvents', 'Content-Type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ Entries: [{ Source: 'cpq-oms.productOrder', DetailType: 'X', Detail: '{}' }] }),
    });
    expect(putEvents.status).toBe(404);
    const start = await raw('/', {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSStepFunctions.StartExecution' },
      body: '{}',
    });
    expect(start.status).toBe(404);
    const downstream = await api.post('/downstream/provisioning/requests', { correlationId: 'x' });
    expectErrorShape(downstream, 404, 'NOT_FOUND');
  });
});

describe('hostile input gets a 4xx in the error shape, never a 5xx, and changes nothing', () => {
  it('refuses path ids that are too long or outside the id pattern with 400 and field details', async () => {
    for (const id of ['q'.repeat(2100), 'a'.repeat(129), 'q%20x', 'q%2F1']) {
      const r = await api.get(`/quotes/${id}`, { token: 'local-sales' });
      expectErrorShape(r, 400, 'MALFORMED_REQUEST');
      expect(r.body.details.fields[0].field).toBe('path.quoteId');
    }
    const repair = await api.post(
      `/ops/orders/${'o'.repeat(2048)}/tasks/t/repair`,
      { action: 'RETRY', reasonCode: 'x' },
      { token: 'local-ops' },
    );
    expectErrorShape(repair, 400, 'MALFORMED_REQUEST');
  });

  it('answers a body over the limit 413 PAYLOAD_TOO_LARGE: 1 MB reaches the handler limit, 7 MB the gateway limit; no reset', async () => {
    for (const size of [70 * 1024, 1024 * 1024, 2 * 1024 * 1024, 7 * 1024 * 1024]) {
      const body = JSON.stringify({ ...quoteBody(), externalId: 'x'.repeat(size) });
      const r = await api.post('/quotes', body, { token: 'local-sales' });
      expectErrorShape(r, 413, 'PAYLOAD_TOO_LARGE');
    }
  });

  it('refuses JSON nested deeper than the limit before anything hashes it', async () => {
    const deep = `{"customer":{"accountId":"a","name":"n","x":${'['.repeat(5000)}${']'.repeat(5000)}},"currency":"USD","lines":[]}`;
    const r = await api.post('/quotes', deep, { token: 'local-sales' });
    expectErrorShape(r, 400, 'MALFORMED_REQUEST');
  });

  it('refuses over-long strings with 400 (a 3,000-character catalogVersion, account id, option value)', async () => {
    const release = await api.get('/catalog', { token: 'local-ops' });
    const publish = await api.post(
      '/ops/catalog-releases',
      { ...release.body, catalogVersion: 'c'.repeat(3000) },
      { token: 'local-ops' },
    );
    expectErrorShape(publish, 400, 'MALFORMED_REQUEST');
    const longAccount = quoteBody();
    longAccount.customer.accountId = 'a'.repeat(3000);
    expectErrorShape(
      await api.post('/quotes', longAccount, { token: 'local-sales' }),
      400,
      'MALFORMED_REQUEST',
    );
    const longOption = quoteBody();
    longOption.lines[0]!.options = { term: 'x'.repeat(3000) };
    expectErrorShape(
      await api.post('/quotes', longOption, { token: 'local-sales' }),
      400,
      'MALFORMED_REQUEST',
    );
    expect((await api.get('/catalog', { token: 'local-ops' })).body.catalogVersion).toBe(
      release.body.catalogVersion,
    );
  });

  it('builds hrefs from configuration, never from X-Forwarded-Host or Host', async () => {
    const quote = await acceptedQuote('local-sales');
    const order = await api.post(`${ordersPath}/productOrder`, orderBody(quote), {
      token: 'local-sales',
      headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' },
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(order.body.href).toBe(`${api.baseUrl}${ordersPath}/productOrder/${order.body.id}`);
  });
});
