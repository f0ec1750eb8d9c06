import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { factContextOf } from '#adapters/fact-context';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import type { SourceEvent } from '#domain/projections/source-event';
import { plantedQuote } from '#test/planted-quote';
import { acceptedQuote, ctx, orderRequest } from '../unit/oms/fixtures.ts';
import { largeOrder } from './large-orders.ts';
import { saveVersion } from './stream-support.ts';

/**
 * What the fact mapper reads beyond an event, from DynamoDB Local by key: the margins events must
 * not carry, the order's region from its quote, and billing against the contract.
 */
const source = (eventType: string, aggregateId: string, resource: Record<string, unknown>): SourceEvent => ({
  eventId: randomUUID(),
  eventTime: new Date().toISOString(),
  eventType,
  domain: eventType.startsWith('Quote') ? 'quote' : 'productOrder',
  correlationId: 'c',
  aggregateType: eventType.startsWith('Quote') ? 'QUOTE' : 'ORDER',
  aggregateId,
  aggregateVersion: 2,
  resource,
});

const saveQuote = async (region?: string) => {
  const id = `q-${randomUUID()}`;
  const quote = plantedQuote(id, {
    state: 'accepted',
    customer: { accountId: 'acct-ctx', name: 'Context customer', ...(region ? { region } : {}) },
    priceSnapshot: {
      lines: [
        { lineId: '1', netRecurring: 67_500, marginRecurring: 13_500 },
        { lineId: '2', netRecurring: 10_000, marginRecurring: -500 },
      ],
      totals: {},
    },
  });
  await saveVersion('QUOTE', id, 0, quote, []);
  return id;
};

describe('fact context from the source of record', () => {
  it('an accepted quote: the margin of each line of its price snapshot', async () => {
    const id = await saveQuote('APAC');
    expect(await factContextOf(source('QuoteAcceptedEvent', id, {}))).toEqual({
      lineMargins: { '1': 13_500, '2': -500 },
    });
  });

  it('an order event: the region of its quote, also for task events that name only the order', async () => {
    const quoteId = await saveQuote('APAC');
    const orderId = `o-${randomUUID()}`;
    const snapshot = acceptedQuote({ quoteId });
    const { order } = convertQuoteToOrder(orderRequest(snapshot), snapshot, { ...ctx(), orderId });
    await saveVersion('ORDER', orderId, 0, order as never, [], order.orderDate, {
      channelId: order.channelId,
      state: order.state,
    });
    // A task event first: nothing remembered yet, the region comes through the order's header.
    const task = { orderId, taskId: 't-1', type: 'SERVICE_ACTIVATION', state: 'DONE' };
    expect(await factContextOf(source('FulfillmentTaskStateChangeEvent', orderId, task))).toEqual({
      region: 'APAC',
    });
    expect(await factContextOf(source('ProductOrderCreateEvent', orderId, { orderId, quoteId }))).toEqual({
      region: 'APAC',
    });
    // No billing handoff recorded on the order: unknown, never a false mismatch.
    const billing = { orderId, taskId: 'BILLING_HANDOFF', type: 'BILLING_HANDOFF', state: 'DONE' };
    expect(await factContextOf(source('FulfillmentTaskStateChangeEvent', orderId, billing))).toEqual({
      region: 'APAC',
      billingMatchesContract: null,
    });
  });

  it('billing done on an order kept in pages: judged on the whole order, not unknown', async () => {
    const order = await largeOrder(10);
    const billing = { orderId: order.id, taskId: 'BILLING_HANDOFF', type: 'BILLING_HANDOFF', state: 'DONE' };
    const context = await factContextOf(source('FulfillmentTaskStateChangeEvent', order.id, billing));
    expect(context.billingMatchesContract).toEqual(expect.any(Boolean));
  });

  it('a quote without a region, or an order that is not stored: region null', async () => {
    const quoteId = await saveQuote();
    const orderId = `o-${randomUUID()}`;
    expect(await factContextOf(source('ProductOrderCreateEvent', orderId, { orderId, quoteId }))).toEqual({
      region: null,
    });
    const missing = `o-${randomUUID()}`;
    expect(
      await factContextOf(
        source('FulfillmentTaskStateChangeEvent', missing, { orderId: missing, state: 'DONE' }),
      ),
    ).toEqual({ region: null });
  });
});
