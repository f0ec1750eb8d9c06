import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/api-client.ts';
import { type StackProcess, startStackProcess } from '../support/local-stack-process.ts';
import { fiberLine, quoteBody } from '../support/quote-flow.ts';

// Publishing a release makes every open quote stale, so this file runs on a stack of its own.
let stack: StackProcess;
let api: ReturnType<typeof client>;
const sales = { token: 'local-sales' };
const ops = { token: 'local-ops' };

beforeAll(async () => {
  stack = await startStackProcess();
  api = client(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

const nextRelease = (catalog: Record<string, any>, catalogVersion: string, priceBookVersion: string) => ({
  ...catalog,
  catalogVersion,
  priceBookVersion,
  effectiveFrom: new Date().toISOString(),
  offerings: catalog.offerings.map((o: Record<string, any>) =>
    o.id === 'off-fiber-1g' ? { ...o, listPrice: { ...o.listPrice, monthlyRecurringMinor: 95_000 } } : o,
  ),
});

/** Publishes the current release again with new versions and a higher fiber price. */
const publishNext = async (catalogVersion: string, priceBookVersion: string) => {
  const catalog = (await api.get('/catalog', ops)).body;
  const published = await api.post(
    '/ops/catalog-releases',
    nextRelease(catalog, catalogVersion, priceBookVersion),
    ops,
  );
  expect(published.status).toBe(201);
};

describe('catalog releases and the stale-price failure chain', () => {
  it('serves the demo release and refuses an incompatible release with its reasons', async () => {
    const catalog = await api.get('/catalog', sales);
    expect(catalog.status).toBe(200);
    expect(catalog.body).toMatchObject({ catalogVersion: 'cat-2026.11.0', priceBookVersion: 'pb-2026.11.0' });
    const broken = nextRelease(catalog.body, 'cat-bad', 'pb-bad');
    broken.offerings[0].requires = [{ anyOf: ['off-does-not-exist'] }];
    const refused = await api.post('/ops/catalog-releases', broken, ops);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('CATALOG_INCOMPATIBLE');
    expect(JSON.stringify(refused.body.details.reasons)).toContain('off-does-not-exist');
    expect((await api.get('/catalog', sales)).body.catalogVersion).toBe('cat-2026.11.0');
  });

  it('refuses acceptance with STALE_PRICE after a publish, then reprice → approve → accept works', async () => {
    const created = await api.post('/quotes', quoteBody([fiberLine(20)]), sales);
    const id = created.body.id;
    await api.post(`/quotes/${id}/price`, {}, sales);
    await api.post(`/quotes/${id}/submit`, {}, sales);
    const approved = await api.post(
      `/quotes/${id}/approvals`,
      { decision: 'APPROVE' },
      { token: 'local-approver' },
    );
    expect(approved.body.state).toBe('approved');

    await publishNext('cat-2026.12.0', 'pb-2026.12.0');

    const stale = await api.get(`/quotes/${id}`, sales);
    expect(stale.body.pricingStatus).toBe('STALE');
    const refused = await api.post(`/quotes/${id}/accept`, {}, sales);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('STALE_PRICE');

    const repriced = await api.post(`/quotes/${id}/price`, {}, sales);
    expect(repriced.body.priceSnapshot.priceBookVersion).toBe('pb-2026.12.0');
    expect(repriced.body.state).toBe('inProgress');
    const resubmitted = await api.post(`/quotes/${id}/submit`, {}, sales);
    expect(resubmitted.body.state).toBe('pending');
    await api.post(`/quotes/${id}/approvals`, { decision: 'APPROVE' }, { token: 'local-approver' });
    const accepted = await api.post(`/quotes/${id}/accept`, {}, sales);
    expect(accepted.status).toBe(200);
    expect(accepted.body.acceptance.priceBookVersion).toBe('pb-2026.12.0');
  });

  it('refuses an approval decided on a price book that is no longer current (APPROVAL_STALE)', async () => {
    const created = await api.post('/quotes', quoteBody([fiberLine(25)]), sales);
    const id = created.body.id;
    await api.post(`/quotes/${id}/price`, {}, sales);
    const pending = await api.post(`/quotes/${id}/submit`, {}, sales);
    expect(pending.body.state).toBe('pending');

    await publishNext('cat-2027.01.0', 'pb-2027.01.0');

    const decision = await api.post(
      `/quotes/${id}/approvals`,
      { decision: 'APPROVE' },
      { token: 'local-approver' },
    );
    expect(decision.status).toBe(422);
    expect(decision.body.code).toBe('APPROVAL_STALE');
    expect((await api.get(`/quotes/${id}`, sales)).body.state).toBe('pending');
  });
});
