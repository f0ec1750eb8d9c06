import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain/errors';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { acceptedQuote, ctx, frozen, orderRequest, T0 } from './fixtures.ts';

const convert = (request = orderRequest(), quote = acceptedQuote(), now = T0) =>
  convertQuoteToOrder(request, quote, { ...ctx(now), orderId: 'ord-1' });

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'NO_ERROR';
};

describe('convertQuoteToOrder', () => {
  it('creates an acknowledged order whose items and prices come from the accepted snapshot', () => {
    const quote = frozen(acceptedQuote());
    const request = frozen({
      ...orderRequest(quote),
      productOrderItem: orderRequest(quote).productOrderItem!.map((i) => ({
        ...i,
        // A client-supplied price or offering is ignored: the snapshot is the commitment.
        itemPrice: [{ price: { dutyFreeAmount: { unit: 'USD', value: 1 } } }],
        productOffering: { id: 'off-sdwan' },
      })),
    });
    const { order, events } = convert(request, quote);
    expect(order.state).toBe('acknowledged');
    expect(order.version).toBe(0);
    expect(order.quoteId).toBe('q-1');
    expect(order.billingAccountId).toBe('ba-1');
    expect(order.externalId).toBe('PO-778');
    expect(order.quoteAcceptance.snapshotHash).toBe('sha256:abc');
    expect(order.items.map((i) => [i.id, i.quoteItemId, i.offeringId])).toEqual([
      ['item-1', 'ql-1', 'off-fiber-1g'],
      ['item-2', 'ql-2', 'off-security'],
      ['item-3', 'ql-3', 'off-static-ip'],
    ]);
    expect(order.items[0]?.price).toEqual(quote.lines[0]?.price);
    expect(order.items[0]?.options).toEqual({ term: 36, install: 'express' });
    expect(events.map((e) => e.eventType)).toEqual(['ProductOrderCreateEvent']);
    expect(events[0]?.domain).toBe('productOrder');
    expect(events[0]?.resource).toMatchObject({ id: 'ord-1', state: 'acknowledged', quoteId: 'q-1' });
  });

  it('refuses a quote that is not accepted', () => {
    expect(codeOf(() => convert(orderRequest(), acceptedQuote({ state: 'approved' })))).toBe(
      'QUOTE_NOT_ACCEPTED',
    );
    expect(codeOf(() => convert(orderRequest(), acceptedQuote({ acceptance: undefined })))).toBe(
      'QUOTE_NOT_ACCEPTED',
    );
  });

  it('refuses an expired quote', () => {
    expect(codeOf(() => convert(orderRequest(), acceptedQuote(), '2026-12-21T00:00:00.000Z'))).toBe(
      'QUOTE_EXPIRED',
    );
  });

  it('requires a billing account', () => {
    const { billingAccount: _, ...request } = orderRequest();
    expect(codeOf(() => convert(request))).toBe('BILLING_ACCOUNT_MISSING');
    expect(codeOf(() => convert({ ...orderRequest(), billingAccount: { id: '  ' } }))).toBe(
      'BILLING_ACCOUNT_MISSING',
    );
  });

  it.each([
    ['another quote id', { quote: [{ id: 'q-2' }] }],
    ['two quotes', { quote: [{ id: 'q-1' }, { id: 'q-2' }] }],
    ['a missing line', { productOrderItem: orderRequest().productOrderItem!.slice(0, 2) }],
    [
      'a line covered twice',
      {
        productOrderItem: [
          ...orderRequest().productOrderItem!,
          { id: 'item-4', action: 'add', quoteItem: { id: 'ql-1' } },
        ],
      },
    ],
    [
      'an unknown quote item',
      {
        productOrderItem: [
          ...orderRequest().productOrderItem!,
          { id: 'x', action: 'add', quoteItem: { id: 'ql-9' } },
        ],
      },
    ],
    [
      'a duplicate item id',
      {
        productOrderItem: orderRequest().productOrderItem!.map((i) => ({ ...i, id: 'same' })),
      },
    ],
    [
      'an action other than add',
      { productOrderItem: orderRequest().productOrderItem!.map((i) => ({ ...i, action: 'modify' })) },
    ],
  ])('answers ORDER_QUOTE_MISMATCH for %s', (_, change) => {
    expect(codeOf(() => convert({ ...orderRequest(), ...change }))).toBe('ORDER_QUOTE_MISMATCH');
  });

  it("hides another channel's quote from a partner", () => {
    const error = (() => {
      try {
        convertQuoteToOrder(orderRequest(), acceptedQuote({ channelId: 'partner-b' }), {
          ...ctx(),
          orderId: 'o',
        });
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(error?.code).toBe('NOT_FOUND');
    expect(error?.status).toBe(404);
  });
});
