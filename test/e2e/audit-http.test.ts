import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { client, eventually } from '../support/api-client.ts';
import { clearFaults, injectFault } from '../support/faults.ts';
import { createOrder, orderInState } from '../support/order-flow.ts';
import { acceptedQuote, fiberLine, quoteBody } from '../support/quote-flow.ts';

const api = client();
const ops = { token: 'local-ops' };

describe('GET /audit/quotes/{quoteId} and /audit/orders/{orderId}', () => {
  it('answers a quote whose evidence is not sealed yet with its links unsealed (the store answers as S3 does for the audit role)', async () => {
    // The evidence writer fails every invocation: nothing of this quote gets sealed.
    await injectFault('functions', { error: true }, 'evidence-writer');
    try {
      const created = await api.post('/quotes', quoteBody([fiberLine()]), { token: 'local-sales' });
      expect(created.status).toBe(201);
      expect((await api.post(`/quotes/${created.body.id}/price`, {}, { token: 'local-sales' })).status).toBe(
        200,
      );
      const r = await api.get(`/audit/quotes/${created.body.id}`, ops);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const calculation = r.body.evidence.find((e: any) => e.evidenceType === 'PRICE_CALCULATION');
      expect(calculation).toMatchObject({ hash: expect.stringMatching(/^sha256:/), sealed: null });
    } finally {
      await clearFaults();
    }
  });

  it('shows a quote’s calculation, versions, approvals and accepted package with hash-verified evidence links', async () => {
    const quote = await acceptedQuote('local-sales', [fiberLine(25)]);
    const r = await api.get(`/audit/quotes/${quote.id}`, ops);
    expect(r.status).toBe(200);
    const audit = r.body;
    expect(audit.businessObject).toMatchObject({ type: 'Quote', id: quote.id, state: 'accepted' });
    expect(audit.calculation.lines[0]).toMatchObject({ offeringId: 'off-fiber-1g', discountPercent: 25 });
    expect(audit.calculation.trace.length).toBeGreaterThan(0);
    expect(audit.versions).toMatchObject({
      catalogVersion: expect.any(String),
      priceBookVersion: expect.any(String),
      policyVersion: expect.any(String),
    });
    expect(audit.versions.configuration[0].rulesEvaluated.length).toBeGreaterThan(0);
    expect(audit.approvals.decisions).toMatchObject([
      { decision: 'APPROVE', decidedBy: expect.any(String), role: 'approver' },
    ]);
    expect(audit.acceptance).toMatchObject({
      hashVerified: true,
      acceptedPackageHash: expect.stringMatching(/^sha256:/),
    });
    expect(audit.changesAfterAcceptance).toEqual([]);
    const types = audit.evidence.map((e: any) => e.evidenceType);
    expect(types).toEqual(
      expect.arrayContaining([
        'PRICE_CALCULATION',
        'APPROVAL_REQUEST',
        'APPROVAL_DECISION',
        'ACCEPTED_QUOTE_PACKAGE',
      ]),
    );
    for (const link of audit.evidence) {
      expect(link).toMatchObject({
        businessObjectType: 'Quote',
        businessObjectId: quote.id,
        hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        immutable: true,
        retentionPolicy: '7_YEARS',
      });
    }
    expect(audit.evidence.find((e: any) => e.evidenceType === 'ACCEPTED_QUOTE_PACKAGE').verified).toBe(true);
    // The same record gives the same hash on every read: the links are stable evidence.
    const again = await api.get(`/audit/quotes/${quote.id}`, ops);
    expect(again.body.evidence.map((e: any) => e.hash)).toEqual(audit.evidence.map((e: any) => e.hash));
  });

  it('proves an order faithful to its accepted quote and billing faithful to the order', async () => {
    const quote = await acceptedQuote('local-sales', [fiberLine(5)]);
    const order = (await createOrder(quote)).body;
    await orderInState(order.id, 'completed');
    const audit = await eventually(async () => {
      const r = await api.get(`/audit/orders/${order.id}`, ops);
      return r.body.billingFaithfulToOrder?.status === 'DONE' ? r.body : undefined;
    });
    expect(audit.acceptedQuote).toMatchObject({
      quoteId: quote.id,
      acceptedPackageHash: quote.acceptance.snapshotHash,
    });
    expect(audit.orderFaithfulToQuote.faithful).toBe(true);
    expect(audit.orderFaithfulToQuote.checks.map((c: any) => c.check)).toEqual(
      expect.arrayContaining([
        'ACCEPTED_PACKAGE_HASH',
        'ITEMS_MATCH_ACCEPTED_LINES',
        'EVERY_ACCEPTED_LINE_ORDERED',
      ]),
    );
    expect(audit.billingFaithfulToOrder).toMatchObject({ faithful: true, status: 'DONE' });
    expect(audit.versions.decompositionRuleVersion).toEqual(expect.any(String));
    const confirmations = audit.evidence.filter((e: any) => e.evidenceType === 'DOWNSTREAM_CONFIRMATION');
    expect(confirmations.length).toBe(audit.fulfillment.length);
    const quoteAudit = await api.get(`/audit/quotes/${quote.id}`, ops);
    expect(quoteAudit.body.order).toEqual({ orderId: order.id, audit: `/audit/orders/${order.id}` });
  });

  it('seals every evidence record write-once in the evidence store; the view shows the sealed copy matches', async () => {
    const quote = await acceptedQuote('local-sales', [fiberLine(25)]);
    const order = (await createOrder(quote)).body;
    await orderInState(order.id, 'completed');
    for (const path of [`/audit/quotes/${quote.id}`, `/audit/orders/${order.id}`]) {
      const audit = await eventually(async () => {
        const r = await api.get(path, ops);
        return r.body.evidence?.every((e: any) => e.sealed?.matches) ? r.body : undefined;
      });
      for (const link of audit.evidence) {
        expect(link.sealed).toMatchObject({
          location: expect.stringMatching(/^file:\/\//),
          hash: link.hash,
          matches: true,
        });
        expect(link.sealed.location.endsWith(link.key)).toBe(true);
        // Read-only on disk: the local stand-in for S3 Object Lock (compliance mode, 7 years).
        expect(statSync(fileURLToPath(link.sealed.location)).mode & 0o222).toBe(0);
      }
    }
  });

  it('is for the audit (ops) role only and answers 404 for unknown ids', async () => {
    const quote = await acceptedQuote('local-partner-a', [fiberLine()]);
    for (const token of ['local-partner-a', 'local-sales', 'local-approver']) {
      expect((await api.get(`/audit/quotes/${quote.id}`, { token })).status, token).toBe(403);
    }
    expect((await api.get(`/audit/quotes/${quote.id}`, {})).status).toBe(401);
    expect((await api.get('/audit/quotes/q-does-not-exist', ops)).status).toBe(404);
    expect((await api.get('/audit/orders/o-does-not-exist', ops)).status).toBe(404);
  });
});
