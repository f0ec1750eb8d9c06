import { describe, expect, it } from 'vitest';
import { client, eventually, ordersPath, quotesPath } from '#test/api-client';
import { createOrder, expectTmf, orderInState, subscriptions } from '#test/order-flow';
import { acceptedQuote, fiberLine, tmfQuoteBody } from '#test/quote-flow';
import { validateTmf } from '#test/tmf-schema';

const api = client();
const ops = { token: 'local-ops' };

/** The order reached billing and the audit has read it back. */
const billedAndAudited = async (orderId: string, token: string) => {
  const order = await orderInState(orderId, 'completed', token);
  const [billed] = await subscriptions(orderId);
  const audit = await eventually(async () => {
    const r = await api.get(`/audit/orders/${orderId}`, ops);
    return r.body.billingFaithfulToOrder?.status === 'DONE' ? r.body : undefined;
  });
  return { order, billed: billed!, audit };
};

describe("a line's customer reference, from the quote to billing", () => {
  it('is kept on /quotes lines and reaches the TMF622 order item, the billing record and the audit', async () => {
    const quote = await acceptedQuote('local-sales', [
      { ...fiberLine(), customerReference: 'PO-4711/10' },
      { offeringId: 'off-static-ip', quantity: 1, options: { size: 8 } },
    ]);
    expect(quote.lines.map((l: { customerReference?: string }) => l.customerReference)).toEqual([
      'PO-4711/10',
      undefined,
    ]);
    const created = await createOrder(quote);
    expectTmf('ProductOrder', created.body);
    const byLine = (items: { quoteItem: { id: string }; customerReference?: string }[]) =>
      Object.fromEntries(items.map((i) => [i.quoteItem.id, i.customerReference]));
    expect(byLine(created.body.productOrderItem)).toEqual({ '1': 'PO-4711/10', '2': undefined });

    const { order, billed, audit } = await billedAndAudited(created.body.id, 'local-sales');
    expect(byLine(order.productOrderItem)).toEqual({ '1': 'PO-4711/10', '2': undefined });
    const billedItems = billed.payload.items as { quoteItemId: string; customerReference?: string }[];
    expect(Object.fromEntries(billedItems.map((i) => [i.quoteItemId, i.customerReference]))).toEqual({
      '1': 'PO-4711/10',
      '2': undefined,
    });
    expect(audit.orderFaithfulToQuote.faithful).toBe(true);
    expect(audit.billingFaithfulToOrder.faithful).toBe(true);
  });

  it('is taken from a TMF648 quote item and shown on the quote item and the order item', async () => {
    const body = tmfQuoteBody();
    const created = await api.post(
      `${quotesPath}/quote`,
      { ...body, quoteItem: body.quoteItem.map((i) => ({ ...i, customerReference: 'site HQ-2' })) },
      { token: 'local-partner-a' },
    );
    expect(created.status).toBe(201);
    expect(created.body.quoteItem[0].customerReference).toBe('site HQ-2');
    expect(validateTmf('TMF648', 'Quote', created.body).errors).toEqual([]);
    const id = created.body.id as string;
    await api.patch(`${quotesPath}/quote/${id}`, { state: 'pending' }, { token: 'local-partner-a' });
    const accepted = await api.patch(
      `${quotesPath}/quote/${id}`,
      { state: 'accepted' },
      { token: 'local-partner-a' },
    );
    expect(accepted.body.state).toBe('accepted');
    const order = await api.post(
      `${ordersPath}/productOrder`,
      {
        quote: [{ id }],
        billingAccount: { id: 'ba-line-ref' },
        productOrderItem: [{ id: '1', action: 'add', quoteItem: { id: accepted.body.quoteItem[0].id } }],
      },
      { token: 'local-partner-a' },
    );
    expect(order.status).toBe(201);
    expect(order.body.productOrderItem[0].customerReference).toBe('site HQ-2');
    const { billed } = await billedAndAudited(order.body.id, 'local-partner-a');
    expect(billed.payload.items[0].customerReference).toBe('site HQ-2');
  });

  it('refuses an over-long or empty reference with 400', async () => {
    for (const customerReference of ['', 'x'.repeat(101)]) {
      const r = await api.post(
        '/quotes',
        {
          customer: { accountId: 'acct-ref', name: 'Acme' },
          currency: 'USD',
          lines: [{ ...fiberLine(), customerReference }],
        },
        { token: 'local-sales' },
      );
      expect(r.status, JSON.stringify(r.body)).toBe(400);
    }
  });
});
