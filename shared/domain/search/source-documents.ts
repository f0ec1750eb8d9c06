import type { DomainEvent } from '#domain/events';
import { changeEvents, orderCreated } from '#domain/order/order-events';
import type { ProductOrder } from '#domain/order/product-order';
import { applyOrderEvent, type OrderTrackingRow } from '#domain/projections/order-tracking';
import type { SourceEvent } from '#domain/projections/source-event';
import { quoteAccepted, quoteCreated } from '#domain/quote/quote-events';
import type { Quote } from '#domain/quote/quote-types';
import { type OrderSearchDoc, orderSearchDocOf } from './order-search.ts';
import { applyQuoteSearch, type QuoteSearchDoc } from './quote-search.ts';

/**
 * The exact-id fallback: the search document built from the source aggregate with the same
 * reducers, as if its events had all been projected at `now`. Its freshness says so (lag 0,
 * event id `source`).
 */
const asSource = (
  e: DomainEvent,
  index: number,
  kind: 'QUOTE' | 'ORDER',
  id: string,
  version: number,
  at: string,
): SourceEvent => ({
  eventId: `source-${String(index).padStart(4, '0')}`,
  eventTime: at,
  eventType: e.eventType,
  domain: e.domain,
  correlationId: 'source',
  aggregateType: kind,
  aggregateId: id,
  aggregateVersion: version,
  resource: e.resource,
});

export const quoteSearchDocFromSource = (quote: Quote, now: string): QuoteSearchDoc => {
  const event = quote.acceptance ? quoteAccepted(quote, quote.acceptance) : quoteCreated(quote);
  return applyQuoteSearch(undefined, asSource(event, 0, 'QUOTE', quote.id, quote.version, now), now)!;
};

export const orderSearchDocFromSource = (order: ProductOrder, now: string): OrderSearchDoc => {
  const blank: ProductOrder = { ...order, state: 'acknowledged', tasks: [], fallout: undefined };
  const events = [
    orderCreated(blank),
    ...changeEvents({ ...blank, state: '' as ProductOrder['state'] }, order),
  ];
  let row: OrderTrackingRow | undefined;
  events.forEach((e, i) => {
    row = applyOrderEvent(row, asSource(e, i, 'ORDER', order.id, order.version, now), now);
  });
  return orderSearchDocOf(row!);
};
