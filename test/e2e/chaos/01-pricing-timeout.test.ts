import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { client } from '../../support/api-client.ts';
import { type ChaosRow, clearFaults, health, injectFault, rowTitle } from '../../support/faults.ts';
import { fiberLine, quoteBody } from '../../support/quote-flow.ts';

const api = client();
const sales = { token: 'local-sales' };

const row: ChaosRow = {
  row: 1,
  scenario: 'Pricing dependency times out during quote submit',
  injectedFailure: 'every read of the catalog / price book item times out (TimeoutError after SDK retries)',
  affectedJourney: 'quote price → submit → accept',
  protectedInvariant: 'no quote is submitted or accepted on a price not proven current',
  expectedTransition: 'none: the quote stays inProgress (submit refused), draft edits still apply',
  userVisible:
    '503 PRICE_UNVERIFIABLE with Retry-After on submit and accept; GET shows pricingStatus STALE and degraded.components [catalog]; PATCH works',
  eventOrMetric: 'no QuoteStateChange event for the refused command; /health names the catalog degraded',
  recovery: 'the read succeeds again: the same Idempotency-Key now succeeds (the 503 was never stored)',
  repairPath: 'none needed: nothing was committed; the user reprices after editing',
  reconciliationCheck: 'the quote is not accepted and has no acceptance evidence',
  passFail: 'refused with 503 while unproven, succeeds with the same key after recovery',
};

describe.sequential('chaos', () => {
  afterEach(() => clearFaults());

  it(rowTitle(row), async () => {
    const created = await api.post('/quotes', quoteBody([fiberLine(5)]), sales);
    const id = created.body.id as string;
    expect((await api.post(`/quotes/${id}/price`, {}, sales)).status).toBe(200);

    await injectFault('catalog', { error: 'TimeoutError' });
    const h = await health();
    expect(h.status).toBe('degraded');
    expect(h.degraded).toContain('catalog');

    const key = randomUUID();
    const submit = await api.post(`/quotes/${id}/submit`, {}, { ...sales, key });
    expect(submit.status).toBe(503);
    expect(submit.body.code).toBe('PRICE_UNVERIFIABLE');
    expect(submit.headers.get('retry-after')).toBeTruthy();
    const accept = await api.post(`/quotes/${id}/accept`, {}, sales);
    expect(accept.status).toBe(503);
    expect(accept.body.code).toBe('PRICE_UNVERIFIABLE');
    expect((await api.post(`/quotes/${id}/price`, {}, sales)).body.code).toBe('PRICING_UNAVAILABLE');

    // Degraded read: the price is not proven current, so it is shown stale, never priced.
    const read = await api.get(`/quotes/${id}`, sales);
    expect(read.status).toBe(200);
    expect(read.body.state).toBe('inProgress');
    expect(read.body.pricingStatus).toBe('STALE');
    expect(read.body.degraded.components).toEqual(['catalog']);
    expect(read.body.acceptance).toBeNull();

    // Drafts stay editable.
    const edited = await api.patch(
      `/quotes/${id}`,
      { lines: [{ ...fiberLine(5), quantity: 2 }] },
      { ...sales, headers: { 'If-Match': `"${read.body.version}"` } },
    );
    expect(edited.status).toBe(200);
    expect(edited.body.lines[0].quantity).toBe(2);
    expect(edited.body.pricingStatus).toBe('NOT_PRICED');
    const drafted = await api.post('/quotes', quoteBody([fiberLine(5)]), sales);
    expect(drafted.status).toBe(201);
    expect(drafted.body.degraded.components).toEqual(['catalog']);

    await clearFaults();
    expect((await health()).degraded).not.toContain('catalog');
    expect((await api.post(`/quotes/${id}/price`, {}, sales)).status).toBe(200);
    const retried = await api.post(`/quotes/${id}/submit`, {}, { ...sales, key });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(retried.body.state).toBe('approved');
    expect((await api.post(`/quotes/${id}/accept`, {}, sales)).status).toBe(200);
  });
});
