import { describe, expect, it } from 'vitest';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { cancelQuote } from '#domain/quote/cancel-quote';
import { createQuote, priceQuote, type Quote } from '#domain/quote/quote';
import { applyTmf648Patch, linesFromQuoteItems, toTmf648Quote } from '#domain/quote/tmf648-quote';
import { errorCode as code } from '#test/domain-error';
import { validateTmf } from '#test/tmf-schema';
import { approver, ctx, fiberLine, NOW, partnerA, quoteBody } from '../cpq/cpq-fixtures.ts';

const ids = { approvalRequestId: 'apr-1', decisionId: 'apd-1', evidenceId: 'acc-1' };
const catalog = demoCatalogRelease;
const priced = (discount?: number): Quote => {
  const created = createQuote(quoteBody([fiberLine(discount)]), {
    ...ctx(partnerA),
    quoteId: 'q-1',
    catalog,
  });
  return { ...priceQuote(created.quote, { ...ctx(partnerA), catalog }).quote, version: 1 };
};
const patch = (quote: Quote, body: Parameters<typeof applyTmf648Patch>[1], actor = partnerA) =>
  applyTmf648Patch(quote, body, { ...ctx(actor), catalog }, ids);

describe('TMF648 quote items', () => {
  it('map offering, quantity, characteristics and the discount percentage to quote lines', () => {
    expect(
      linesFromQuoteItems([
        {
          productOffering: { id: 'off-sdwan' },
          quantity: 2,
          product: { productCharacteristic: [{ name: 'sites', value: 3 }] },
          quoteItemPrice: [{ priceAlteration: [{ price: { percentage: 12 } }] }],
        },
      ]),
    ).toEqual([{ offeringId: 'off-sdwan', quantity: 2, options: { sites: 3 }, discountPercent: 12 }]);
    expect(linesFromQuoteItems([{ productOffering: { id: 'off-sdwan' } }])[0]).toEqual({
      offeringId: 'off-sdwan',
      quantity: 1,
      options: {},
    });
  });

  it("carry the line's customer reference both ways", () => {
    const [line] = linesFromQuoteItems([
      { productOffering: { id: 'off-fiber-1g' }, customerReference: 'PO-9/1' },
    ]);
    expect(line?.customerReference).toBe('PO-9/1');
    const created = createQuote(quoteBody([fiberLine(undefined, { customerReference: 'PO-9/1' })]), {
      ...ctx(partnerA),
      quoteId: 'q-1',
      catalog,
    });
    const resource = toTmf648Quote(created.quote, { role: 'partner', catalog, now: NOW }, '');
    expect((resource.quoteItem as { customerReference?: string }[])[0]?.customerReference).toBe('PO-9/1');
    expect(validateTmf('TMF648', 'Quote', resource).errors).toEqual([]);
  });

  it('only "add" is supported: another action is a 400 naming the item', () => {
    expect(code(() => linesFromQuoteItems([{ productOffering: { id: 'x' }, action: 'modify' }]))).toBe(
      'MALFORMED_REQUEST',
    );
  });
});

describe('TMF648 resource', () => {
  it('validates against the TMF648 Quote definition and carries no margin', () => {
    const resource = toTmf648Quote(
      priced(5),
      { role: 'partner', catalog, now: NOW },
      'https://api.example.com',
    );
    expect(validateTmf('TMF648', 'Quote', resource).errors).toEqual([]);
    expect(resource.href).toBe('https://api.example.com/tmf-api/quoteManagement/v4/quote/q-1');
    expect(JSON.stringify(resource)).not.toContain('margin');
  });
});

describe('TMF648 state changes are the quote commands', () => {
  it('pending submits (auto-approved at 5 %), accepted accepts', () => {
    const submitted = patch(priced(5), { state: 'pending' });
    expect(submitted.quote.state).toBe('approved');
    const accepted = patch(submitted.quote, { state: 'accepted' });
    expect(accepted.quote.state).toBe('accepted');
    expect(accepted.events.map((e) => e.eventType)).toContain('QuoteAcceptedEvent');
  });

  it('a pending quote is approved or rejected by an approver decision with the note as comment', () => {
    const pending = patch(priced(15), { state: 'pending' }).quote;
    expect(pending.state).toBe('pending');
    const approved = patch(pending, { state: 'approved', note: [{ text: 'ok' }] }, approver);
    expect(approved.quote.approval.decisions[0]?.comment).toBe('ok');
    expect(patch(pending, { state: 'rejected' }, approver).quote.state).toBe('rejected');
  });

  it('the same rules refuse: accept before approval, back to inProgress, cancel an accepted quote', () => {
    expect(code(() => patch(priced(15), { state: 'accepted' }))).toBe('APPROVAL_REQUIRED');
    expect(code(() => patch(patch(priced(5), { state: 'pending' }).quote, { state: 'inProgress' }))).toBe(
      'INVALID_STATE_TRANSITION',
    );
    const accepted = patch(patch(priced(5), { state: 'pending' }).quote, { state: 'accepted' }).quote;
    expect(code(() => cancelQuote(accepted, ctx(partnerA)))).toBe('INVALID_STATE_TRANSITION');
  });

  it('new items replace the lines, reprice, and invalidate an approval; asking for the current state changes nothing', () => {
    const approved = patch(priced(5), { state: 'pending' }).quote;
    const changed = patch(approved, {
      quoteItem: [
        {
          productOffering: { id: 'off-fiber-1g' },
          quantity: 2,
          product: { productCharacteristic: [{ name: 'term', value: 36 }] },
        },
      ],
    });
    expect(changed.quote.state).toBe('inProgress');
    expect(changed.quote.priceSnapshot).toBeDefined();
    expect(changed.approvalInvalidated).toBe(true);
    expect(patch(approved, { state: 'approved' }).events).toEqual([]);
  });

  it('change items replace the lines once resolved against the installed base, never unresolved', () => {
    const item = { action: 'suspend' as const, product: { id: 'prd-1-1' } };
    expect(code(() => patch(priced(5), { quoteItem: [item] }))).toBe('MALFORMED_REQUEST');
    const installed = {
      status: 'active' as const,
      options: { term: 24 },
      price: { netOneTime: 0, netRecurring: 9000, listOneTime: 0, listRecurring: 9000, discountPercent: 0 },
    };
    const change = { action: 'suspend' as const, productId: 'prd-1-1', installed };
    const changed = patch(priced(5), {
      quoteItem: [item],
      lines: [{ offeringId: 'off-fiber-1g', quantity: 1, options: { term: 24 }, change }],
    });
    expect(changed.quote.lines).toEqual([expect.objectContaining({ offeringId: 'off-fiber-1g', change })]);
    expect(changed.quote.priceSnapshot).toBeDefined();
  });

  it('cancelling closes an open approval request', () => {
    const pending = patch(priced(15), { state: 'pending' }).quote;
    const cancelled = cancelQuote(pending, ctx(partnerA));
    expect(cancelled.quote.state).toBe('cancelled');
    expect(cancelled.quote.approval.openRequestId).toBeUndefined();
    expect(cancelQuote(cancelled.quote, ctx(partnerA)).events).toEqual([]);
  });
});
