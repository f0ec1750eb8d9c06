import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '#domain/events';
import { changeEvents, orderCreated } from '#domain/order/order-events';
import type { ProductOrder } from '#domain/order/product-order';
import {
  applyOrderEvent,
  type OrderTrackingRow,
  orderTrackingView,
} from '#domain/projections/order-tracking';
import { applyQuoteEvent, pendingApprovalOf, type QuoteSummaryRow } from '#domain/projections/quote-summary';
import { orderSnapshotEvents, quoteSnapshotEvents } from '#domain/projections/snapshot-events';
import type { SourceEvent } from '#domain/projections/source-event';
import type { Quote } from '#domain/quote/quote-types';
import { plantedQuote } from '#test/planted-quote';
import { newOrder, runHappyPath, startedOrder } from '../oms/fixtures.ts';

const asSource = (order: ProductOrder, version: number, events: DomainEvent[]): SourceEvent[] =>
  events.map((e, i) => ({
    eventId: `e-${version}-${i}`,
    eventTime: order.updatedAt,
    eventType: e.eventType,
    domain: e.domain,
    correlationId: 'c',
    aggregateType: 'ORDER',
    aggregateId: order.id,
    aggregateVersion: version,
    resource: e.resource as Record<string, unknown>,
  }));

const replay = (events: SourceEvent[], now: string) =>
  events.reduce<OrderTrackingRow | undefined>((row, e) => applyOrderEvent(row, e, now), undefined)!;

const view = (row: OrderTrackingRow) => {
  const { freshness: _, ...rest } = orderTrackingView(row, '2026-12-01T00:00:00.000Z');
  return rest;
};

describe('snapshot events: an order read from its aggregate projects as its events did', () => {
  it('a fulfilled order: same header, items, tasks and billing handoff as the live projection', () => {
    const created = newOrder();
    const started = startedOrder();
    const done = runHappyPath(started);
    const live = [
      ...asSource(created, 1, [orderCreated(created)]),
      ...asSource(started, 2, changeEvents(created, started)),
      ...asSource(done, 3, changeEvents(started, done)),
    ];
    const now = '2026-12-01T00:00:00.000Z';
    const fromEvents = replay(live, now);
    const fromAggregate = replay(orderSnapshotEvents(done, 3), now);
    expect(fromAggregate.state).toBe('completed');
    expect(view(fromAggregate)).toEqual(view(fromEvents));
    expect(fromAggregate.freshness.sourceVersion).toBe(3);
  });

  it('a live event of a later version still moves a row built from a snapshot', () => {
    const started = startedOrder();
    const done = runHappyPath(started);
    const now = '2026-12-01T00:00:00.000Z';
    const later = asSource(done, 3, changeEvents(started, done));
    const row = replay([...orderSnapshotEvents(started, 2), ...later], now);
    expect(row.state).toBe('completed');
    expect(row.freshness.sourceVersion).toBe(3);
  });

  it('a quote re-submitted after its approval was invalidated is pending its latest request', () => {
    const request = (id: string, submittedAt: string) => ({
      id,
      reasonCodes: ['DISCOUNT_ABOVE_FLOOR' as const],
      lineIds: [],
      maxDiscountPercent: 25,
      policyVersion: 'p1',
      fingerprint: id,
      submittedAt,
      dueAt: '2026-12-30T00:00:00.000Z',
      requestedBy: { principalId: 'u', role: 'sales' as const, channelId: 'sales-portal' },
    });
    const quote = {
      ...(plantedQuote('q-1', { state: 'pending' }) as unknown as Quote),
      approval: {
        requests: [request('r1', '2026-11-01T00:00:00.000Z'), request('r2', '2026-11-03T00:00:00.000Z')],
        decisions: [],
        invalidations: [
          {
            at: '2026-11-02T00:00:00.000Z',
            cause: 'REPRICED' as const,
            invalidated: 'OPEN_REQUEST' as const,
            fingerprint: 'r1',
            requestId: 'r1',
          },
        ],
        openRequestId: 'r2',
      },
    };
    const row = quoteSnapshotEvents(quote, 5).reduce<QuoteSummaryRow | undefined>(
      (r, e) => applyQuoteEvent(r, e, '2026-12-01T00:00:00.000Z'),
      undefined,
    )!;
    expect(pendingApprovalOf(row)?.requestId).toBe('r2');
    expect(row.freshness.sourceVersion).toBe(5);
  });
});
