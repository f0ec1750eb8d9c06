import { describe, expect, it } from 'vitest';
import { assemble, changedPages, layoutOf, pageLayout } from '#adapters/order-pages';
import { requestCancellation } from '#domain/order/cancellation';
import { recordTaskCompleted, recordTaskDispatched, startFulfillment } from '#domain/order/fulfillment';
import { fulfillmentBounds, storedBytes } from '#domain/order/order-bounds';
import { acceptedQuote, at, ctx, newOrder } from './fixtures.ts';

/** The largest order the bounds accept: its billing handoff goes in parts of 100 items. */
const largest = fulfillmentBounds.maxItems;

const largeOrder = (n: number) => {
  const base = acceptedQuote().lines;
  const lines = Array.from({ length: n }, (_, i) => ({
    ...base[i % base.length]!,
    quoteItemId: `ql-${i + 1}`,
    customerReference: `site-${Math.floor(i / base.length)}`,
  }));
  return startFulfillment(newOrder(acceptedQuote({ lines })), ctx(at(1))).order;
};

const roundTrip = (order: ReturnType<typeof largeOrder>) => {
  const layout = layoutOf(order);
  return assemble(layout.header, layout.attributes, layout.pages);
};

describe('order pages', () => {
  it('a small order stays one item; the largest order is a header and pages that assemble to the same order', () => {
    const small = largeOrder(3);
    expect(layoutOf(small).pages).toEqual([]);
    const large = largeOrder(largest);
    const layout = layoutOf(large);
    expect(layout.header.tasks).toEqual([]);
    expect(layout.header.items).toEqual([]);
    expect(roundTrip(large)).toEqual(large);
  });

  it('no item of the largest order approaches 400 KB, and a task step rewrites one page', () => {
    const large = largeOrder(largest);
    const layout = layoutOf(large);
    const sizes = [storedBytes(layout.header), ...layout.pages.map((p) => storedBytes(p.entries))];
    // No page holds two parts of the billing handoff (≈ 67 KB each).
    expect(Math.max(...sizes)).toBeLessThan(120 * 1024);
    const task = large.tasks[200]!;
    const dispatched = recordTaskDispatched(large, task.id, ctx(at(2))).order;
    const done = recordTaskCompleted(
      dispatched,
      task.id,
      { downstreamRef: 'r-1', source: 'response' },
      ctx(at(3)),
    ).order;
    expect(changedPages(layoutOf(done), layout)).toHaveLength(1);
    expect(storedBytes(layoutOf(done).header)).toBeLessThan(16 * 1024);
  });

  it('cancelling the largest order is one transaction within 100 actions', () => {
    const large = largeOrder(largest);
    const half = large.tasks.slice(0, 300).reduce((order, t) => {
      if (t.dependsOn.length > 0 || t.type === 'BILLING_HANDOFF') return order;
      const d = recordTaskDispatched(order, t.id, ctx(at(2))).order;
      return recordTaskCompleted(d, t.id, { downstreamRef: `r-${t.id}`, source: 'response' }, ctx(at(3)))
        .order;
    }, large);
    const { order: cancelled, events } = requestCancellation(
      half,
      { cancelId: 'c-1', cancellationReason: 'customer' },
      ctx(at(4)),
    );
    const pages = changedPages(layoutOf(cancelled), layoutOf(half));
    expect(1 + pages.length + events.length).toBeLessThanOrEqual(100);
    expect(roundTrip(cancelled)).toEqual(cancelled);
    expect(pageLayout.tasksPerPage).toBe(32);
  });
});
