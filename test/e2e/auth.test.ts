import { describe, expect, it } from 'vitest';
import { client } from '../support/api-client.ts';
import { quoteBody } from '../support/quote-flow.ts';

const api = client();

describe('authentication, roles and channel isolation', () => {
  it('answers 401 without or with an unknown token and 403 for a role that may not act', async () => {
    expect((await api.get('/catalog')).status).toBe(401);
    expect((await api.get('/catalog', { token: 'nope' })).status).toBe(401);
    const forbidden = await api.post('/ops/catalog-releases', {}, { token: 'local-sales' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
  });

  it('hides another channel’s quote behind 404', async () => {
    const created = await api.post('/quotes', quoteBody(), { token: 'local-partner-a' });
    expect(created.status).toBe(201);
    const other = await api.get(`/quotes/${created.body.id}`, { token: 'local-partner-b' });
    expect(other.status).toBe(404);
    const own = await api.get(`/quotes/${created.body.id}`, { token: 'local-partner-a' });
    expect(own.status).toBe(200);
    expect(own.headers.get('etag')).toBe(`"${own.body.version}"`);
  });

  it('echoes the caller’s correlation id', async () => {
    const r = await api.get('/catalog', {
      token: 'local-partner-a',
      headers: { 'X-Correlation-Id': 'corr-test-1' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-correlation-id')).toBe('corr-test-1');
  });

  it('answers 400 with field details for a malformed body, never 500', async () => {
    const r = await api.post(
      '/quotes',
      { customer: {}, currency: 'usd', lines: [] },
      { token: 'local-sales' },
    );
    expect(r.status).toBe(400);
    const fields = (r.body.details.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['customer.accountId', 'currency', 'lines']));
    const notJson = await api.post('/quotes', '{nope', { token: 'local-sales' });
    expect(notJson.status).toBe(400);
  });
});
