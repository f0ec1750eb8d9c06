import { describe, expect, it } from 'vitest';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import { recordTaskDispatched, startFulfillment } from '#domain/order/fulfillment';
import { itemDependenciesOf, orderCreated } from '#domain/order/order-events';
import { acceptedQuote, at, ctx, orderRequest } from './fixtures.ts';

/** What the tracking view shows of an order comes from its events (requirements 003 §23.2). */
describe('order events carry what the tracking view shows', () => {
  const quote = acceptedQuote({ customerName: 'Acme Manufacturing', quoteRevision: 5 });
  const { order, events } = convertQuoteToOrder(orderRequest(quote), quote, {
    ...ctx(),
    orderId: 'ord-7',
    productNames: { 'off-fiber-1g': 'Fiber 1G', 'off-security': 'Managed Security' },
    leadTimes: { 'off-fiber-1g': 86_400 },
  });

  it('stamps the customer name, quote revision and catalog product names on the order', () => {
    expect(order).toMatchObject({ customerName: 'Acme Manufacturing', quoteRevision: 5 });
    expect(order.items.map((i) => i.productName)).toEqual(['Fiber 1G', 'Managed Security', undefined]);
  });

  it('puts them, each item action and its promised completion in the create event', () => {
    const resource = events[0]!.resource as Record<string, any>;
    expect(events[0]).toEqual(orderCreated(order));
    expect(resource).toMatchObject({ customerName: 'Acme Manufacturing', quoteRevision: 5 });
    expect(resource.productOrderItem[0]).toMatchObject({
      id: 'item-1',
      action: 'add',
      productName: 'Fiber 1G',
      expectedCompletionDate: at(24 * 60),
    });
  });

  it('names the account on task events and the cross-item waits on the plan event', () => {
    const started = startFulfillment(order, ctx(at(1)));
    const plan = started.events.find((e) => e.eventType === 'FulfillmentPlanCreateEvent')!;
    // Security and the static IP block need the fiber access of item 1; billing is order-level.
    expect(plan.resource).toMatchObject({ itemDependencies: { 'item-2': ['item-1'], 'item-3': ['item-1'] } });
    expect(itemDependenciesOf(started.order.tasks)).toEqual({ 'item-2': ['item-1'], 'item-3': ['item-1'] });
    const first = started.order.tasks[0]!;
    const dispatched = recordTaskDispatched(started.order, first.id, ctx(at(2)));
    const taskEvent = dispatched.events.find((e) => e.eventType === 'FulfillmentTaskStateChangeEvent')!;
    expect(taskEvent.resource).toMatchObject({ taskId: first.id, state: 'IN_PROGRESS', accountId: 'acc-1' });
  });
});
