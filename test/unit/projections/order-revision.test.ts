import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTimelineEvent } from '#domain/projections/account-timeline';
import {
  applyOrderEvent,
  type OrderTrackingRow,
  orderTrackingView,
  partnerOrderTrackingView,
} from '#domain/projections/order-tracking';
import type { SourceEvent } from '#domain/projections/source-event';
import { at, ev, fold } from './fixtures.ts';

const header = (state: string, quoteId: string) => ({
  id: 'o-9',
  state,
  channelId: 'partner-a',
  accountId: 'acct-1',
  quoteId,
});
const item = (id: string, offeringId: string) => ({ id, quoteItemId: `l-${id}`, offeringId, quantity: 1 });

const revision = (
  version: number,
  n: number,
  quoteId: string,
  items: string[],
  added: string[],
  removed: string[],
) =>
  ev('ORDER', 'o-9', version, 'ProductOrderRevisionEvent', {
    ...header('inProgress', quoteId),
    revision: n,
    previousQuoteId: n === 1 ? 'q-1' : 'q-2',
    at: at(version),
    addedItemIds: added,
    removedItemIds: removed,
    cancelledTaskIds: [],
    compensationTaskIds: [],
    productOrderItem: items.map((id) => item(id, 'off-sdwan')),
  });

/** Created with item 1 (quote q-1), revised to q-2 (item 1 → item 2), then to q-3 (adds item 3). */
const revisedHistory = (): SourceEvent[] => [
  ev('ORDER', 'o-9', 1, 'ProductOrderCreateEvent', {
    ...header('acknowledged', 'q-1'),
    billingAccountId: 'ba-1',
    orderDate: at(1),
    currency: 'USD',
    productOrderItem: [item('1', 'off-fiber-1g')],
  }),
  ev('ORDER', 'o-9', 2, 'ProductOrderStateChangeEvent', {
    ...header('inProgress', 'q-1'),
    previousState: 'acknowledged',
    at: at(2),
  }),
  revision(3, 1, 'q-2', ['2'], ['2'], ['1']),
  revision(4, 2, 'q-3', ['2', '3'], ['3'], []),
];

describe('a revised order on the read side', () => {
  it('the tracking view shows the last revision and the items the order now holds, to staff and partner', () => {
    const row = fold<OrderTrackingRow>(applyOrderEvent, revisedHistory())!;
    const staff = orderTrackingView(row, at(5));
    expect(staff.quoteId).toBe('q-3');
    expect(staff.items.map((i) => i.id)).toEqual(['2', '3']);
    expect(staff.revision).toEqual({
      revision: 2,
      at: at(4),
      previousQuoteId: 'q-2',
      addedItemIds: ['3'],
      removedItemIds: [],
    });
    expect(partnerOrderTrackingView(row, at(5)).revision).toEqual(staff.revision);
  });

  it('any permutation and duplication of the events gives the same row', () => {
    const events = revisedHistory();
    const expected = fold(applyOrderEvent, events);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length }),
        fc.nat(events.length - 1),
        (shuffled, dup) => {
          expect(fold(applyOrderEvent, [...shuffled, events[dup]!])).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the account timeline has one entry per revision, naming it and its quote', () => {
    const entries = fold(applyTimelineEvent, revisedHistory())!;
    const revisions = entries.filter((e) => e.entryType === 'PRODUCT_ORDER_REVISION');
    expect(revisions.map((e) => e.title)).toEqual([
      'Order o-9 revised (revision 1 to quote q-2: 1 added, 1 removed)',
      'Order o-9 revised (revision 2 to quote q-3: 1 added, 0 removed)',
    ]);
    expect(revisions[0]!.related).toEqual({ orderId: 'o-9', quoteId: 'q-2' });
  });
});
