import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, eventually } from '../../support/api-client.ts';
import { type ChaosRow, clearFaults, health, injectFault, rowTitle } from '../../support/faults.ts';
import { type StackProcess, startStackProcess } from '../../support/local-stack-process.ts';
import { fiberLine, quoteBody } from '../../support/quote-flow.ts';

// A publish makes every open quote stale: this row runs on a stack of its own.
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

const row: ChaosRow = {
  row: 3,
  scenario: 'Catalog publish partially propagates',
  injectedFailure:
    'the stream pipeline is paused while a new release is published: the publish is committed, its event reaches no consumer (read models, bus)',
  affectedJourney: 'accept a quote priced on the previous price book; create a new quote',
  protectedInvariant:
    'no acceptance on a price book other than the current one, whatever consumers have seen',
  expectedTransition:
    'the old-priced quote stays approved (not accepted) until repriced; the new quote prices on the new book',
  userVisible:
    '422 STALE_PRICE with the versions; pricingStatus STALE; GET /catalog shows the new versions at once',
  eventOrMetric:
    'the CatalogRelease event is delivered once the pipeline resumes; /health names streams degraded meanwhile',
  recovery: 'the pipeline resumes and the parked records are consumed in order',
  repairPath: 'reprice → (re)approve → accept',
  reconciliationCheck: 'every accepted quote carries the priceBookVersion that was current at acceptance',
  passFail: 'STALE_PRICE while consumers lag, accept after reprice, publish event delivered after resume',
};

describe.sequential('chaos', () => {
  it(rowTitle(row), async () => {
    const id = (await api.post('/quotes', quoteBody([fiberLine(5)]), sales)).body.id as string;
    await api.post(`/quotes/${id}/price`, {}, sales);
    expect((await api.post(`/quotes/${id}/submit`, {}, sales)).body.state).toBe('approved');

    await injectFault('streams', { paused: true }, undefined, api);
    expect((await health(api)).degraded).toContain('streams');
    const catalog = (await api.get('/catalog', ops)).body;
    const next = {
      ...catalog,
      catalogVersion: 'cat-chaos-2',
      priceBookVersion: 'pb-chaos-2',
      effectiveFrom: new Date().toISOString(),
      offerings: catalog.offerings.map((o: Record<string, any>) =>
        o.id === 'off-fiber-1g' ? { ...o, listPrice: { ...o.listPrice, monthlyRecurringMinor: 99_000 } } : o,
      ),
    };
    expect((await api.post('/ops/catalog-releases', next, ops)).status).toBe(201);

    // Runtime traffic reads the committed pointer, not what consumers have seen.
    expect((await api.get('/catalog', sales)).body.priceBookVersion).toBe('pb-chaos-2');
    const refused = await api.post(`/quotes/${id}/accept`, {}, sales);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('STALE_PRICE');
    expect((await api.get(`/quotes/${id}`, sales)).body.pricingStatus).toBe('STALE');
    const fresh = (await api.post('/quotes', quoteBody([fiberLine(5)]), sales)).body.id as string;
    const priced = await api.post(`/quotes/${fresh}/price`, {}, sales);
    expect(priced.body.priceSnapshot.priceBookVersion).toBe('pb-chaos-2');
    const publishedEvents = async () =>
      (await api.get('/ops/events?detailType=CatalogReleasePublishedEvent', ops)).body.count as number;
    const before = await publishedEvents();

    await clearFaults(api);
    // Recovery: the parked publish reaches the bus.
    await eventually(async () => ((await publishedEvents()) > before ? true : undefined));

    // Repair path: reprice → submit → accept.
    expect((await api.post(`/quotes/${id}/price`, {}, sales)).status).toBe(200);
    expect((await api.post(`/quotes/${id}/submit`, {}, sales)).status).toBe(200);
    const accepted = await api.post(`/quotes/${id}/accept`, {}, sales);
    expect(accepted.status).toBe(200);
    expect(accepted.body.acceptance.priceBookVersion).toBe('pb-chaos-2');
  });
});
