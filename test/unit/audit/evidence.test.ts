import { describe, expect, it } from 'vitest';
import { billingFaithfulToOrder, orderFaithfulToQuote } from '#domain/audit/order-evidence';
import { quoteEvidence } from '#domain/audit/quote-evidence';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { acceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { startFulfillment } from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import { acceptQuote } from '#domain/quote/accept-quote';
import { priceQuote } from '#domain/quote/change-quote';
import { createQuote } from '#domain/quote/create-quote';
import type { Quote } from '#domain/quote/quote-types';
import { submitQuote } from '#domain/quote/submit-quote';
import { ctx, NOW, seller } from '../cpq/cpq-fixtures.ts';
import { runHappyPath } from '../oms/fixtures.ts';

const catalog = { catalog: demoCatalogRelease };
const accepted = (): Quote => {
  let { quote } = createQuote(
    {
      customer: { accountId: 'a-1', name: 'Acme' },
      currency: 'USD',
      lines: [{ offeringId: 'off-fiber-1g', quantity: 1, options: { term: 24 }, discountPercent: 5 }],
    },
    { ...ctx(seller), ...catalog, quoteId: 'q-1' },
  );
  quote = { ...priceQuote(quote, { ...ctx(seller), ...catalog }).quote, version: 2 };
  quote = submitQuote(quote, { ...ctx(seller), ...catalog, approvalRequestId: 'ar-1' }).quote;
  return { ...acceptQuote(quote, { ...ctx(seller), ...catalog, evidenceId: 'ae-1' }).quote, version: 4 };
};

const orderOf = (quote: Quote): ProductOrder => {
  const snapshot = acceptedQuoteSnapshot(quote);
  const request = {
    quote: [{ id: quote.id }],
    billingAccount: { id: 'ba-1' },
    productOrderItem: [{ id: '1', action: 'add', quoteItem: { id: '1' } }],
  };
  const order = convertQuoteToOrder(request, snapshot, { ...ctx(seller), orderId: 'o-1' }).order;
  return runHappyPath(startFulfillment(order, ctx(seller, NOW)).order, NOW);
};

describe('quote evidence', () => {
  it('verifies the accepted package hash and links every record with a stable hash', () => {
    const quote = accepted();
    const view = quoteEvidence(quote, undefined);
    expect(view.acceptance?.hashVerified).toBe(true);
    expect(view.changesAfterAcceptance).toEqual([]);
    expect(view.evidence.map((e) => e.evidenceType)).toEqual(['PRICE_CALCULATION', 'ACCEPTED_QUOTE_PACKAGE']);
    expect(quoteEvidence(quote, undefined).evidence).toEqual(view.evidence);
  });

  it('shows a snapshot changed after acceptance: hash not verified, change listed', () => {
    const quote = accepted();
    const lines = quote.priceSnapshot!.lines.map((l) => ({ ...l, netRecurring: l.netRecurring - 100 }));
    const tampered = { ...quote, priceSnapshot: { ...quote.priceSnapshot!, lines } };
    const view = quoteEvidence(tampered, undefined);
    expect(view.acceptance?.hashVerified).toBe(false);
    expect(view.evidence.find((e) => e.evidenceType === 'ACCEPTED_QUOTE_PACKAGE')?.verified).toBe(false);
    expect(view.changesAfterAcceptance.map((c) => c.change)).toEqual(['PRICE_SNAPSHOT']);
  });
});

describe('order and billing faithfulness', () => {
  it('a converted, fulfilled order is faithful to its quote and billing to the order', () => {
    const quote = accepted();
    const order = orderOf(quote);
    expect(orderFaithfulToQuote(order, quote).faithful).toBe(true);
    expect(billingFaithfulToOrder(order)).toMatchObject({ faithful: true, status: 'DONE' });
  });

  it('names the check that fails when an item price differs from the accepted line', () => {
    const quote = accepted();
    const order = orderOf(quote);
    const repriced = {
      ...order,
      items: order.items.map((i) => ({ ...i, price: { ...i.price, netRecurring: 1 } })),
    };
    const verdict = orderFaithfulToQuote(repriced, quote);
    expect(verdict.faithful).toBe(false);
    expect(verdict.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['ITEMS_MATCH_ACCEPTED_LINES']);
    // Billing got the original (accepted) prices, so it no longer matches the altered order.
    expect(
      billingFaithfulToOrder(repriced)
        .checks.filter((c) => !c.ok)
        .map((c) => c.check),
    ).toEqual(['ITEMS_BILLED_AS_ORDERED']);
    expect(orderFaithfulToQuote(order, undefined).faithful).toBe(false);
  });
});
