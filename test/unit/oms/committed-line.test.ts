import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingFaithfulToOrder, orderFaithfulToQuote } from '#domain/audit/order-evidence';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { acceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { billingHandoffOf } from '#domain/order/billing-handoff';
import { type CommittedLine, committedLineOf, committedLinesOf } from '#domain/order/committed-line';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { toProductOrderResource } from '#domain/order/product-order-resource';
import { acceptQuote } from '#domain/quote/accept-quote';
import { priceQuote } from '#domain/quote/change-quote';
import { createQuote } from '#domain/quote/create-quote';
import { decideApproval } from '#domain/quote/decide-approval';
import type { Quote } from '#domain/quote/quote-types';
import { submitQuote } from '#domain/quote/submit-quote';
import { approver, ctx as cpqCtx, fiberLine, quoteBody, seller } from '../cpq/cpq-fixtures.ts';
import { acceptedQuote, ctx, orderRequest } from './fixtures.ts';

const minor = fc.integer({ min: 0, max: 10_000_000 });
// Catalog-like names: the values are free, the keys are the catalog's own.
const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/).map((n) => `x-${n}`);
const committedLine = (quoteItemId: string): fc.Arbitrary<CommittedLine> =>
  fc.record(
    {
      quoteItemId: fc.constant(quoteItemId),
      offeringId: name,
      quantity: fc.integer({ min: 1, max: 9_999 }),
      options: fc.dictionary(name, fc.oneof(name, fc.integer())),
      productFamily: name,
      customerReference: fc.string({ minLength: 1, maxLength: 100 }),
      price: fc.record({
        netOneTime: minor,
        netRecurring: minor,
        listOneTime: minor,
        listRecurring: minor,
        discountPercent: fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
      }),
    },
    { requiredKeys: ['quoteItemId', 'offeringId', 'quantity', 'options', 'price'] },
  );
const committedLines = fc
  .integer({ min: 1, max: 6 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => committedLine(`ql-${i + 1}`))));

const orderOf = (lines: CommittedLine[]) => {
  const quote = acceptedQuote({ lines });
  return convertQuoteToOrder(orderRequest(quote), quote, { ...ctx(), orderId: 'ord-1' }).order;
};

describe('the committed line', () => {
  it('survives quote → order item → billing handoff unchanged', () => {
    fc.assert(
      fc.property(committedLines, (lines) => {
        const order = orderOf(lines);
        const handoff = billingHandoffOf(order);
        expect(order.items.map(committedLineOf)).toEqual(lines);
        expect(handoff.items.map(committedLineOf)).toEqual(lines);
        expect(handoff.items.map((i) => i.orderItemId)).toEqual(order.items.map((i) => i.id));
      }),
    );
  });

  it('billing gets the discount amounts the committed prices imply', () => {
    fc.assert(
      fc.property(committedLines, (lines) => {
        for (const item of billingHandoffOf(orderOf(lines)).items) {
          expect(item.discountOneTime).toBe(item.price.listOneTime - item.price.netOneTime);
          expect(item.discountRecurring).toBe(item.price.listRecurring - item.price.netRecurring);
        }
      }),
    );
  });

  it('the audit names the field of a billed item that differs from the order item', () => {
    const order = orderOf(acceptedQuote().lines);
    const task = {
      id: 'BILLING_HANDOFF',
      type: 'BILLING_HANDOFF',
      state: 'DONE',
      payload: billingHandoffOf(order),
    } as unknown as ProductOrderTask;
    const faithful = billingFaithfulToOrder({ ...order, tasks: [task] });
    expect(faithful.checks.find((c) => c.check === 'ITEMS_BILLED_AS_ORDERED')?.ok).toBe(true);

    const handoff = billingHandoffOf(order);
    const changed = {
      ...handoff,
      items: handoff.items.map((i, n) => (n === 0 ? { ...i, options: { term: 12 } } : i)),
    };
    const verdict = billingFaithfulToOrder({ ...order, tasks: [{ ...task, payload: changed }] });
    const items = verdict.checks.find((c) => c.check === 'ITEMS_BILLED_AS_ORDERED');
    expect(items?.ok).toBe(false);
    expect(items?.detail).toMatchObject({ differences: [{ itemId: 'item-1', field: 'options' }] });
  });

  it('reads a handoff planned before items held their committed line (flat prices) as it was sent', () => {
    const order = orderOf(acceptedQuote().lines);
    const flat = (repriced: number) => ({
      ...billingHandoffOf(order),
      items: order.items.map((i, n) => ({
        orderItemId: i.id,
        quoteItemId: i.quoteItemId,
        offeringId: i.offeringId,
        quantity: i.quantity,
        currency: 'USD',
        ...i.price,
        ...(n === 0 ? { netRecurring: repriced } : {}),
      })),
    });
    const task = {
      id: 'BILLING_HANDOFF',
      type: 'BILLING_HANDOFF',
      state: 'DONE',
    } as unknown as ProductOrderTask;
    const itemsCheck = (payload: unknown) =>
      billingFaithfulToOrder({ ...order, tasks: [{ ...task, payload } as ProductOrderTask] }).checks.find(
        (c) => c.check === 'ITEMS_BILLED_AS_ORDERED',
      );
    expect(itemsCheck(flat(order.items[0]!.price.netRecurring))?.ok).toBe(true);
    const changed = itemsCheck(flat(1));
    expect(changed?.ok).toBe(false);
    expect(changed?.detail).toMatchObject({ differences: [{ itemId: 'item-1', field: 'price' }] });
  });
});

describe('a line reference, through the real quote commands', () => {
  const catalog = { catalog: demoCatalogRelease };
  const acceptedWith = (customerReference: string): Quote => {
    const lines = [fiberLine(5, { customerReference }), fiberLine(undefined, { quantity: 2 })];
    let { quote } = createQuote(quoteBody(lines), { ...cpqCtx(seller), ...catalog, quoteId: 'q-1' });
    quote = priceQuote(quote, { ...cpqCtx(seller), ...catalog }).quote;
    quote = submitQuote(quote, { ...cpqCtx(seller), ...catalog, approvalRequestId: 'ar-1' }).quote;
    return acceptQuote(quote, { ...cpqCtx(seller), ...catalog, evidenceId: 'ae-1' }).quote;
  };
  const orderFrom = (quote: Quote) => {
    const snapshot = acceptedQuoteSnapshot(quote);
    return convertQuoteToOrder(orderRequest(snapshot), snapshot, {
      ...cpqCtx(seller),
      orderId: 'o-1',
    }).order;
  };

  it('every accepted line reaches the order item and the billing handoff as its committed line', () => {
    const line = fc.record(
      {
        offeringId: fc.constant('off-fiber-1g'),
        quantity: fc.integer({ min: 1, max: 50 }),
        options: fc.record({
          term: fc.constantFrom(12, 24, 36),
          install: fc.constantFrom('standard', 'express'),
        }),
        discountPercent: fc.integer({ min: 0, max: 3_000 }).map((bp) => bp / 100),
        customerReference: fc.string({ minLength: 1, maxLength: 100 }),
      },
      { requiredKeys: ['offeringId', 'quantity', 'options'] },
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        let { quote } = createQuote(quoteBody(lines), { ...cpqCtx(seller), ...catalog, quoteId: 'q-1' });
        quote = priceQuote(quote, { ...cpqCtx(seller), ...catalog }).quote;
        quote = submitQuote(quote, { ...cpqCtx(seller), ...catalog, approvalRequestId: 'ar-1' }).quote;
        if (quote.state === 'pending') {
          quote = decideApproval(
            quote,
            { decision: 'APPROVE' },
            { ...cpqCtx(approver), ...catalog, decisionId: 'd-1' },
          ).quote;
        }
        quote = acceptQuote(quote, { ...cpqCtx(seller), ...catalog, evidenceId: 'ae-1' }).quote;
        const committed = committedLinesOf(quote);
        expect(committed.map((l) => l.customerReference)).toEqual(lines.map((l) => l.customerReference));
        expect(committed.map((l) => l.price.netRecurring)).toEqual(
          quote.priceSnapshot!.lines.map((l) => l.netRecurring),
        );
        const order = orderFrom(quote);
        expect(order.items.map(committedLineOf)).toEqual(committed);
        expect(billingHandoffOf(order).items.map(committedLineOf)).toEqual(committed);
        expect(orderFaithfulToQuote(order, quote).faithful).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('reaches the order item, the billing handoff and the TMF622 item; the audit finds it faithful', () => {
    const quote = acceptedWith('PO-4711/10');
    expect(quote.lines.map((l) => l.customerReference)).toEqual(['PO-4711/10', undefined]);
    const order = orderFrom(quote);
    expect(order.items.map((i) => i.customerReference)).toEqual(['PO-4711/10', undefined]);
    expect(billingHandoffOf(order).items.map((i) => i.customerReference)).toEqual(['PO-4711/10', undefined]);
    const rendered = toProductOrderResource(order, '', 'internal').productOrderItem as {
      customerReference?: string;
    }[];
    expect(rendered.map((i) => i.customerReference)).toEqual(['PO-4711/10', undefined]);
    expect(orderFaithfulToQuote(order, quote).faithful).toBe(true);
  });

  it('the audit names a reference an order item does not share with its accepted line', () => {
    const quote = acceptedWith('PO-4711/10');
    const order = orderFrom(quote);
    const changed = { ...order, items: order.items.map((i) => ({ ...i, customerReference: 'PO-other' })) };
    const verdict = orderFaithfulToQuote(changed, quote);
    expect(verdict.faithful).toBe(false);
    expect(verdict.checks.find((c) => c.check === 'ITEMS_MATCH_ACCEPTED_LINES')?.detail).toEqual({
      differences: [
        { itemId: 'item-1', field: 'customerReference', order: 'PO-other', quote: 'PO-4711/10' },
        { itemId: 'item-2', field: 'customerReference', order: 'PO-other', quote: null },
      ],
    });
  });
});

type ProductOrderTask = ReturnType<typeof orderOf>['tasks'][number];
