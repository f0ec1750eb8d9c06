import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordTaskDispatched } from '#domain/order/fulfillment';
import { assertPatchable, modifiableAttributes, modifyOrder } from '#domain/order/modify-order';
import { errorCode as code } from '#test/domain-error';
import { at, ctx, frozen, newOrder, runHappyPath, runUntilBilling, startedOrder } from '../oms/fixtures.ts';

describe('PATCH of a product order', () => {
  it('changes channel attributes, appends notes and says which attributes changed', () => {
    const order = frozen(newOrder());
    const { order: next, events } = modifyOrder(
      order,
      { description: 'site B', requestedCompletionDate: at(600), note: [{ text: 'call before' }] },
      ctx(at(1)),
    );
    expect(next).toMatchObject({ description: 'site B', requestedCompletionDate: at(600), updatedAt: at(1) });
    expect(next.notes).toEqual([
      { id: '1', text: 'call before', author: 'partner-a-user', date: at(1), visibility: 'partner' },
    ]);
    expect(events).toHaveLength(1);
    const [changed] = events;
    expect(changed?.eventType).toBe('ProductOrderAttributeValueChangeEvent');
    expect(
      changed?.eventType === 'ProductOrderAttributeValueChangeEvent' && changed.resource.changedAttributes,
    ).toEqual(['description', 'requestedCompletionDate', 'note']);
    const again = modifyOrder(next, { note: [{ text: 'second' }] }, ctx(at(2))).order;
    expect(again.notes?.map((n) => n.id)).toEqual(['1', '2']);
  });

  it('the same values change nothing and emit nothing', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (externalId) => {
        const once = modifyOrder(newOrder(), { externalId }, ctx()).order;
        expect(modifyOrder(once, { externalId }, ctx(at(3))).events).toEqual([]);
      }),
    );
  });

  it('is refused past the point of no return and in final states', () => {
    const billing = runUntilBilling(startedOrder());
    const billingTask = billing.tasks.find((t) => t.type === 'BILLING_HANDOFF')!;
    const billingStarted = recordTaskDispatched(billing, billingTask.id, ctx(at(6))).order;
    expect(code(() => modifyOrder(billingStarted, { description: 'x' }, ctx(at(7))))).toBe(
      'POINT_OF_NO_RETURN',
    );
    expect(code(() => modifyOrder(runHappyPath(startedOrder()), { description: 'x' }, ctx(at(9))))).toBe(
      'INVALID_STATE_TRANSITION',
    );
  });

  it('names quote-bound attributes as 422 ORDER_QUOTE_MISMATCH and anything else not modifiable as 400', () => {
    expect(code(() => assertPatchable(['productOrderItem']))).toBe('ORDER_QUOTE_MISMATCH');
    expect(code(() => assertPatchable(['state']))).toBe('MALFORMED_REQUEST');
    expect(code(() => assertPatchable([...modifiableAttributes, '@type']))).toBe('none');
  });
});
