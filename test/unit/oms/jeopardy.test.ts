import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { convertQuoteToOrder } from '#domain/order/convert-quote';
import {
  assessJeopardy,
  currentJeopardy,
  defaultLeadTimeSeconds,
  leadTimesOf,
  nextJeopardyCheck,
  raiseJeopardy,
} from '#domain/order/jeopardy';
import type { ProductOrder } from '#domain/order/product-order';
import { acceptedQuote, ctx, orderRequest, runHappyPath, startedOrder, T0 } from './fixtures.ts';

const hour = 3600;
const leadTimes = { 'off-fiber-1g': 10 * hour, 'off-security': 20 * hour, 'off-static-ip': 5 * hour };
const elapsed = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

const order = (): ProductOrder =>
  convertQuoteToOrder(orderRequest(), acceptedQuote(), { ...ctx(T0), orderId: 'po-1', leadTimes }).order;

describe('jeopardy', () => {
  it('stamps each item with order date + its offering lead time, from catalog data', () => {
    const items = order().items.map((i) => [i.offeringId, i.expectedCompletionDate]);
    expect(items).toEqual([
      ['off-fiber-1g', elapsed(10 * hour)],
      ['off-security', elapsed(20 * hour)],
      ['off-static-ip', elapsed(5 * hour)],
    ]);
    expect(leadTimesOf(demoCatalogRelease)['off-fiber-1g']).toBe(10 * 24 * hour);
    const unknown = convertQuoteToOrder(orderRequest(), acceptedQuote(), {
      ...ctx(T0),
      orderId: 'po-2',
    }).order;
    expect(unknown.items[0]?.expectedCompletionDate).toBe(elapsed(defaultLeadTimeSeconds));
  });

  it('on time → at risk in the last fifth of the lead time → breached after it, naming the items', () => {
    const o = order();
    expect(assessJeopardy(o, elapsed(3 * hour))).toBeUndefined();
    expect(assessJeopardy(o, elapsed(4 * hour))).toEqual({ level: 'atRisk', items: ['item-3'] });
    expect(assessJeopardy(o, elapsed(5 * hour))).toEqual({ level: 'atRisk', items: ['item-3'] });
    expect(assessJeopardy(o, elapsed(10 * hour + 1))).toEqual({
      level: 'breached',
      items: ['item-1', 'item-3'],
    });
    expect(assessJeopardy(o, elapsed(5 * hour + 1))).toEqual({ level: 'breached', items: ['item-3'] });
  });

  it('raises each level once, with owner and next action, and never for a closed order', () => {
    const o = order();
    const risk = raiseJeopardy(o, { now: elapsed(4 * hour), alertId: 'jeo-1' });
    expect(risk.events.map((e) => e.eventType)).toEqual(['ProductOrderJeopardyEvent']);
    expect(risk.order.jeopardyAlerts?.[0]).toMatchObject({
      '@type': 'JeopardyAlert',
      jeopardyType: 'atRisk',
      productOrderItem: [{ productOrderItemId: 'item-3' }],
      owner: 'order-ops',
      nextAction: expect.any(String),
    });
    expect(raiseJeopardy(risk.order, { now: elapsed(4.5 * hour), alertId: 'jeo-2' }).events).toEqual([]);
    const breach = raiseJeopardy(risk.order, { now: elapsed(6 * hour), alertId: 'jeo-3' });
    expect(currentJeopardy(breach.order)).toBe('breached');
    expect(raiseJeopardy(breach.order, { now: elapsed(30 * hour), alertId: 'jeo-4' }).events).toEqual([]);
    expect(nextJeopardyCheck(breach.order, elapsed(6 * hour))).toBeUndefined();

    const done = runHappyPath(startedOrder());
    expect(done.state).toBe('completed');
    expect(raiseJeopardy(done, { now: elapsed(400 * 24 * hour), alertId: 'x' }).events).toEqual([]);
    expect(nextJeopardyCheck(done, T0)).toBeUndefined();
  });

  it('the next check is the next moment a level can be reached, so a sweep at that time raises it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * hour }), (seconds) => {
        const o = order();
        const now = elapsed(seconds);
        const next = nextJeopardyCheck(o, now)!;
        expect(Date.parse(next)).toBeGreaterThanOrEqual(Date.parse(now));
        const before = assessJeopardy(o, now)?.level;
        // Nothing changes strictly between now and the next check.
        const mid = new Date((Date.parse(now) + Date.parse(next)) / 2).toISOString();
        if (Date.parse(next) > Date.parse(now) + 2) expect(assessJeopardy(o, mid)?.level).toBe(before);
      }),
    );
  });
});
