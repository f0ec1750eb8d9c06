import { describe, expect, it } from 'vitest';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { createQuote, decideApproval, priceQuote, type Quote, submitQuote } from '#domain/quote/quote';
import { toQuoteResource } from '#domain/quote/quote-resource';
import { approver, ctx, decemberRelease, fiberLine, NOW, quoteBody, seller } from './cpq-fixtures.ts';

const catalog = demoCatalogRelease;

function approvedQuote(): Quote {
  const created = createQuote(quoteBody([fiberLine(25)]), { ...ctx(seller), quoteId: 'q-1', catalog }).quote;
  const priced = priceQuote(created, { ...ctx(seller), catalog }).quote;
  const pending = submitQuote(priced, { ...ctx(seller), catalog, approvalRequestId: 'apr-1' }).quote;
  return decideApproval(
    pending,
    { decision: 'APPROVE', comment: 'internal: margin floor waived' },
    { ...ctx(approver), catalog, decisionId: 'dec-1' },
  ).quote;
}

describe('toQuoteResource', () => {
  const quote = approvedQuote();

  it('shows a price it cannot prove current as STALE, never PRICED, and says what is degraded', () => {
    const resource = toQuoteResource(quote, { role: 'sales', catalog, now: NOW, catalogUnverified: true });
    expect(resource.pricingStatus).toBe('STALE');
    expect((resource.lines as { pricingStatus: string }[]).map((l) => l.pricingStatus)).toEqual(['STALE']);
    expect(resource.degraded).toMatchObject({ components: ['catalog'] });
    expect(toQuoteResource(quote, { role: 'sales', catalog, now: NOW }).degraded).toBeUndefined();
  });

  it('returns the contract fields for internal roles', () => {
    const resource = toQuoteResource(quote, { role: 'sales', catalog, now: NOW });
    expect(resource).toMatchObject({
      id: 'q-1',
      version: 0,
      state: 'approved',
      currency: 'USD',
      channelId: 'sales-portal',
      expired: false,
      pricingStatus: 'PRICED',
      pricedAt: NOW,
      acceptance: null,
      approval: { status: 'APPROVED' },
    });
    expect(resource.lines).toEqual([
      {
        id: '1',
        offeringId: 'off-fiber-1g',
        quantity: 1,
        options: { term: 24, install: 'standard' },
        discountPercent: 25,
        catalogVersion: 'cat-2026.11.0',
        configuration: quote.lines[0]!.configuration,
        pricingStatus: 'PRICED',
      },
    ]);
    const json = JSON.stringify(resource);
    expect(json).toContain('internal: margin floor waived');
    expect(json).toContain('marginRecurring');
  });

  it('strips margin, approval comments and approver identity for partners', () => {
    const resource = toQuoteResource(quote, { role: 'partner', catalog, now: NOW });
    const json = JSON.stringify(resource);
    expect(json).not.toContain('margin');
    expect(json).not.toContain('comment');
    expect(json).not.toContain('approver-user');
    expect(resource.priceSnapshot).toMatchObject({ totals: { netRecurring: 67_500 } });
    expect((resource.approval as { decisions: unknown[] }).decisions).toEqual([
      {
        id: 'dec-1',
        requestId: 'apr-1',
        decision: 'APPROVE',
        at: NOW,
        fingerprint: quote.approval.grant!.fingerprint,
        policyVersion: 'deal-policy-1',
        actor: { role: 'approver' },
      },
    ]);
  });

  it('derives staleness and expiry at read time', () => {
    const resource = toQuoteResource(quote, {
      role: 'sales',
      catalog: decemberRelease,
      now: '2027-01-01T00:00:00Z',
    });
    expect(resource).toMatchObject({ pricingStatus: 'STALE', expired: true });
    expect((resource.lines as { pricingStatus: string }[])[0]!.pricingStatus).toBe('STALE');
  });

  it('does not share the stored quote with the caller for partners', () => {
    const resource = toQuoteResource(quote, { role: 'partner', catalog, now: NOW });
    expect(resource.priceSnapshot).not.toBe(quote.priceSnapshot);
    expect(quote.priceSnapshot!.totals.marginRecurring).toBeDefined();
  });
});
