import { describe, expect, it } from 'vitest';
import { client } from '../support/api-client.ts';
import { fiberLine, quoteBody } from '../support/quote-flow.ts';

const api = client();
const sales = { token: 'local-sales' };

const createQuote = async (lines = [fiberLine()], token = 'local-sales') => {
  const r = await api.post('/quotes', quoteBody(lines), { token });
  expect(r.status).toBe(201);
  return r.body;
};

describe('quote lifecycle over HTTP (TMF648 states, contract error codes)', () => {
  it('creates, prices deterministically, auto-approves a small discount and accepts with evidence', async () => {
    const q = await createQuote([fiberLine(5)]);
    expect(q.state).toBe('inProgress');
    expect(q.pricingStatus).toBe('NOT_PRICED');
    const priced = await api.post(`/quotes/${q.id}/price`, {}, sales);
    expect(priced.status).toBe(200);
    expect(priced.body.pricingStatus).toBe('PRICED');
    expect(priced.body.priceSnapshot.priceBookVersion).toBeTruthy();
    const again = await api.post(`/quotes/${q.id}/price`, {}, sales);
    expect(again.body.priceSnapshot).toEqual(priced.body.priceSnapshot);
    const submitted = await api.post(`/quotes/${q.id}/submit`, {}, sales);
    expect(submitted.body.state).toBe('approved');
    const accepted = await api.post(`/quotes/${q.id}/accept`, {}, sales);
    expect(accepted.status).toBe(200);
    expect(accepted.body.state).toBe('accepted');
    expect(accepted.body.acceptance.snapshotHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses submit and accept of an unpriced quote (NOT_PRICED, APPROVAL_REQUIRED)', async () => {
    const q = await createQuote();
    const submit = await api.post(`/quotes/${q.id}/submit`, {}, sales);
    expect(submit.status).toBe(422);
    expect(submit.body.code).toBe('NOT_PRICED');
    const accept = await api.post(`/quotes/${q.id}/accept`, {}, sales);
    expect(accept.status).toBe(422);
    expect(accept.body.code).toBe('APPROVAL_REQUIRED');
  });

  it('rejects an invalid configuration naming the line and rule, writing nothing', async () => {
    const r = await api.post(
      '/quotes',
      quoteBody([{ offeringId: 'off-static-ip', quantity: 1, options: { size: 8 } }]),
      sales,
    );
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('INVALID_CONFIGURATION');
    expect(r.body.details).toMatchObject({ lineId: '1', rule: 'REQUIRES' });
    const badOption = await api.post(
      '/quotes',
      quoteBody([{ ...fiberLine(), options: { term: 18 } }]),
      sales,
    );
    expect(badOption.body.code).toBe('INVALID_CONFIGURATION');
    expect(badOption.body.details.rule).toBe('OPTION_IN_DOMAIN');
  });

  it('routes 10–40 % to approval, checks authority and fingerprint, and refuses > 40 %', async () => {
    const q = await createQuote([fiberLine(25)]);
    await api.post(`/quotes/${q.id}/price`, {}, sales);
    const pending = await api.post(`/quotes/${q.id}/submit`, {}, sales);
    expect(pending.body.state).toBe('pending');
    const byPartner = await api.post(
      `/quotes/${q.id}/approvals`,
      { decision: 'APPROVE' },
      { token: 'local-partner-a' },
    );
    expect(byPartner.status).toBe(403);
    const approved = await api.post(
      `/quotes/${q.id}/approvals`,
      { decision: 'APPROVE', comment: 'fine' },
      { token: 'local-approver' },
    );
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('approved');

    const tooMuch = await createQuote([fiberLine(45)]);
    await api.post(`/quotes/${tooMuch.id}/price`, {}, sales);
    const violation = await api.post(`/quotes/${tooMuch.id}/submit`, {}, sales);
    expect(violation.status).toBe(422);
    expect(violation.body.code).toBe('POLICY_VIOLATION');
  });

  it('invalidates an approval when a price-relevant input changes (PATCH with If-Match)', async () => {
    const q = await createQuote([fiberLine(20)]);
    await api.post(`/quotes/${q.id}/price`, {}, sales);
    await api.post(`/quotes/${q.id}/submit`, {}, sales);
    const current = await api.get(`/quotes/${q.id}`, sales);
    const stale = await api.patch(
      `/quotes/${q.id}`,
      { lines: [fiberLine(30)] },
      { ...sales, headers: { 'If-Match': '"1"' } },
    );
    expect(stale.status).toBe(412);
    const patched = await api.patch(
      `/quotes/${q.id}`,
      { lines: [fiberLine(30)] },
      { ...sales, headers: { 'If-Match': current.headers.get('etag') ?? '' } },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.state).toBe('inProgress');
    expect(patched.body.pricingStatus).toBe('NOT_PRICED');
    const decision = await api.post(
      `/quotes/${q.id}/approvals`,
      { decision: 'APPROVE' },
      { token: 'local-approver' },
    );
    expect(decision.status).toBe(422);
    expect(decision.body.code).toBe('INVALID_STATE_TRANSITION');
  });

  it('refuses acceptance of an expired quote (QUOTE_EXPIRED)', async () => {
    const body = { ...quoteBody(), validFor: { endDateTime: new Date(Date.now() + 1500).toISOString() } };
    const created = await api.post('/quotes', body, sales);
    expect(created.status).toBe(201);
    await api.post(`/quotes/${created.body.id}/price`, {}, sales);
    await api.post(`/quotes/${created.body.id}/submit`, {}, sales);
    await new Promise((r) => setTimeout(r, 1600));
    const accept = await api.post(`/quotes/${created.body.id}/accept`, {}, sales);
    expect(accept.status).toBe(422);
    expect(accept.body.code).toBe('QUOTE_EXPIRED');
    const view = await api.get(`/quotes/${created.body.id}`, sales);
    expect(view.body.expired).toBe(true);
  });

  it('never shows a partner margin, cost or approval comments; sales sees them', async () => {
    const q = await createQuote([fiberLine(20)], 'local-partner-a');
    await api.post(`/quotes/${q.id}/price`, {}, { token: 'local-partner-a' });
    await api.post(`/quotes/${q.id}/submit`, {}, { token: 'local-partner-a' });
    await api.post(
      `/quotes/${q.id}/approvals`,
      { decision: 'APPROVE', comment: 'secret-approval-note' },
      { token: 'local-approver' },
    );
    const partner = await api.get(`/quotes/${q.id}`, { token: 'local-partner-a' });
    const text = JSON.stringify(partner.body);
    expect(text).not.toContain('secret-approval-note');
    expect(text).not.toMatch(/margin|cost/i);
    const internal = await api.get(`/quotes/${q.id}`, sales);
    expect(JSON.stringify(internal.body)).toContain('secret-approval-note');
  });
});
