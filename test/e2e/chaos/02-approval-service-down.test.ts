import { afterEach, describe, expect, it } from 'vitest';
import { client, eventually } from '../../support/api-client.ts';
import { type ChaosRow, clearFaults, health, injectFault, rowTitle } from '../../support/faults.ts';
import { fiberLine, quoteBody } from '../../support/quote-flow.ts';

const api = client();
const sales = { token: 'local-sales' };
const approver = { token: 'local-approver' };

const row: ChaosRow = {
  row: 2,
  scenario: 'Approval service unavailable',
  injectedFailure:
    'every invocation of the quote-approval function fails (AWS FIS aws:lambda:invocation-error)',
  affectedJourney: 'submit a discount above the floor → approver decision → accept',
  protectedInvariant: 'never auto-approve: a quote needing approval is not accepted without a decision',
  expectedTransition: 'submit queues: inProgress → pending; stays pending while the decision service is down',
  userVisible:
    'approver gets 502 from the gateway; accept is 422 APPROVAL_REQUIRED; other drafts stay editable; the request waits in the approval inbox',
  eventOrMetric: '/health names functions.quote-approval degraded; no approval decision event',
  recovery: 'the function answers again: the same decision is taken and the quote is accepted',
  repairPath: 'approver decides from the approval inbox once the service is back',
  reconciliationCheck: 'the quote has no grant and no acceptance while the service was down',
  passFail: 'pending (not approved) during the outage, accepted only after a real decision',
};

describe.sequential('chaos', () => {
  afterEach(() => clearFaults());

  it(rowTitle(row), async () => {
    await injectFault('functions', { error: true }, 'quote-approval');
    expect((await health()).degraded).toContain('functions.quote-approval');

    const id = (await api.post('/quotes', quoteBody([fiberLine(20)]), sales)).body.id as string;
    expect((await api.post(`/quotes/${id}/price`, {}, sales)).status).toBe(200);
    const submitted = await api.post(`/quotes/${id}/submit`, {}, sales);
    expect(submitted.status).toBe(200);
    expect(submitted.body.state).toBe('pending');

    const decision = await api.post(
      `/quotes/${id}/approvals`,
      { decision: 'APPROVE', comment: 'ok' },
      approver,
    );
    expect(decision.status).toBe(502);
    const accept = await api.post(`/quotes/${id}/accept`, {}, sales);
    expect(accept.status).toBe(422);
    expect(accept.body.code).toBe('APPROVAL_REQUIRED');
    const stillPending = await api.get(`/quotes/${id}`, sales);
    expect(stillPending.body.state).toBe('pending');
    expect(stillPending.body.approval.grant).toBeNull();

    // Draft editing continues on another quote.
    const draft = await api.post('/quotes', quoteBody([fiberLine(20)]), sales);
    const edited = await api.patch(
      `/quotes/${draft.body.id}`,
      { lines: [fiberLine(8)] },
      { ...sales, headers: { 'If-Match': `"${draft.body.version}"` } },
    );
    expect(edited.status).toBe(200);

    // The request waits in the inbox.
    await eventually(async () => {
      const inbox = await api.get('/views/approval-inbox', approver);
      return inbox.body.items.some((i: { quoteId: string }) => i.quoteId === id) ? true : undefined;
    });

    await clearFaults();
    const approved = await api.post(
      `/quotes/${id}/approvals`,
      { decision: 'APPROVE', comment: 'ok' },
      approver,
    );
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('approved');
    expect((await api.post(`/quotes/${id}/accept`, {}, sales)).status).toBe(200);
  });
});
