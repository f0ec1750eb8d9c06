import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyOrderEvent,
  falloutView,
  isOpenFallout,
  type OrderTrackingRow,
  orderRowParts,
} from '#domain/projections/order-tracking';
import { rowViews } from '#domain/projections/views';
import { orderSlaRiskKey, orderSlaRiskView } from '#domain/projections/worklists';
import { at, fold, orderHistory } from './fixtures.ts';

const history = orderHistory();
const rowAfter = (n: number) => fold(applyOrderEvent, history.slice(0, n))!;
const now = at(100);

describe('an order row kept as a summary and one part per task', () => {
  it('is the same row again from its summary and its parts, at every point of the order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: history.length }), (n) => {
        const row = rowAfter(n);
        expect(orderRowParts.withParts(orderRowParts.summary(row), orderRowParts.of(row))).toEqual(row);
      }),
    );
  });

  it('gives the lists, gauges and risk from its summary alone, as from the whole row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: history.length }), (n) => {
        const row = rowAfter(n);
        const summary = orderRowParts.summary(row);
        expect(orderSlaRiskKey(summary)).toBe(orderSlaRiskKey(row));
        expect(orderSlaRiskView(summary)).toEqual(orderSlaRiskView(row));
        if (isOpenFallout(row)) expect(falloutView(summary, now)).toEqual(falloutView(row, now));
        for (const view of Object.values(rowViews).filter((v) => v.source === 'ORDER'))
          expect(view.gauges?.(summary as never)).toEqual(view.gauges?.(row as never));
      }),
    );
  });

  it('keeps the later of a task in its summary and in its part (a part written before the row item moved on)', () => {
    const held = rowAfter(8);
    const done = rowAfter(history.length);
    const assembled: OrderTrackingRow = orderRowParts.withParts(
      orderRowParts.summary(held),
      orderRowParts.of(done),
    );
    expect(assembled.tasks).toEqual(done.tasks);
    const stale = orderRowParts.withParts(orderRowParts.summary(held), {});
    expect(stale.tasks['t-1']?.state).toBe('FAILED');
  });

  it('does not list a task event among the row’s applied events: its task’s cursor tells it', () => {
    const row = rowAfter(history.length);
    const taskEvents = history.filter((e) => e.eventType === 'FulfillmentTaskStateChangeEvent');
    for (const e of taskEvents) expect(row.applied).not.toContain(e.eventId);
    expect(fold(applyOrderEvent, [...history, ...taskEvents])).toEqual(row);
  });
});
