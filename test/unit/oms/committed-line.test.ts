import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingFaithfulToOrder } from '#domain/audit/order-evidence';
import { billingHandoffOf } from '#domain/order/billing-handoff';
import { type CommittedLine, committedLineOf } from '#domain/order/committed-line';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
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
});

type ProductOrderTask = ReturnType<typeof orderOf>['tasks'][number];
