import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FulfillmentTask } from '#domain/order/fulfillment-task';
import { itemDependenciesOf } from '#domain/order/order-events';
import {
  applyOrderEvent,
  type OrderTrackingRow,
  orderTrackingView,
  partnerOrderTrackingView,
} from '#domain/projections/order-tracking';
import type { SourceEvent } from '#domain/projections/source-event';
import { orderSlaRiskKey, orderSlaRiskView } from '#domain/projections/worklists';
import { at, ev, fold } from './fixtures.ts';

const header = (state: string) => ({
  id: 'o-9',
  state,
  channelId: 'partner-a',
  accountId: 'acct-9',
  quoteId: 'q-9',
});

const task = (taskId: string, orderItemId: string, type: string, state: string, attempts = 1) => ({
  orderId: 'o-9',
  channelId: 'partner-a',
  accountId: 'acct-9',
  taskId,
  orderItemId,
  type,
  action: 'add',
  downstream: 'provisioning',
  correlationId: `ful-${taskId}`,
  state,
  previousState: null,
  attempts,
  ownerTeam: 'network-ops',
  queries: 0,
});

/** Fiber access (item-1) and SD-WAN (item-2, which needs item-1's access), access in progress. */
const history = (): SourceEvent[] => [
  ev('ORDER', 'o-9', 1, 'ProductOrderCreateEvent', {
    ...header('acknowledged'),
    billingAccountId: 'ba-9',
    orderDate: at(0),
    currency: 'USD',
    customerName: 'Acme Manufacturing',
    quoteRevision: 4,
    requestedCompletionDate: at(60 * 24 * 10),
    productOrderItem: [
      {
        id: 'item-1',
        quoteItemId: 'l1',
        offeringId: 'off-fiber-1g',
        quantity: 1,
        action: 'add',
        productName: 'Fiber 1G',
        expectedCompletionDate: at(60 * 24 * 3),
      },
      {
        id: 'item-2',
        quoteItemId: 'l2',
        offeringId: 'off-sdwan',
        quantity: 1,
        action: 'add',
        productName: 'SD-WAN',
        expectedCompletionDate: at(60 * 24 * 5),
      },
    ],
  }),
  ev('ORDER', 'o-9', 2, 'FulfillmentPlanCreateEvent', {
    orderId: 'o-9',
    channelId: 'partner-a',
    taskIds: ['t-access', 't-sdwan', 't-bill'],
    itemDependencies: { 'item-2': ['item-1'] },
  }),
  ev('ORDER', 'o-9', 2, 'ProductOrderStateChangeEvent', {
    ...header('inProgress'),
    previousState: 'acknowledged',
    at: at(2),
  }),
  ev(
    'ORDER',
    'o-9',
    3,
    'FulfillmentTaskStateChangeEvent',
    task('t-access', 'item-1', 'ACCESS_PROVISION', 'IN_PROGRESS', 2),
  ),
];

describe('order tracking view (requirements 003 §23.2)', () => {
  it('answers number, customer, source revision, state age, item progress and promised date', () => {
    const row = fold(applyOrderEvent, history())!;
    const view = orderTrackingView(row, at(62));
    expect(view).toMatchObject({
      orderNumber: 'o-9',
      customer: { accountId: 'acct-9', displayName: 'Acme Manufacturing' },
      source: { quoteId: 'q-9', quoteRevision: 4 },
      state: 'inProgress',
      stateAgeMs: 60 * 60_000,
      dates: {
        submittedAt: at(0),
        requestedCompletionDate: at(60 * 24 * 10),
        promisedCompletionAt: at(60 * 24 * 5),
      },
    });
    expect(view.items).toMatchObject([
      {
        id: 'item-1',
        productName: 'Fiber 1G',
        action: 'add',
        state: 'inProgress',
        fulfillmentMilestone: 'ACCESS_PROVISION',
        blockingTaskId: 't-access',
        waitingFor: [],
      },
      {
        id: 'item-2',
        productName: 'SD-WAN',
        state: 'waitingDependency',
        fulfillmentMilestone: 'NOT_STARTED',
        blockingTaskId: null,
        waitingFor: ['item-1'],
      },
    ]);
  });

  it('stops waiting once the item it needs is done and its own work starts', () => {
    const row = fold(applyOrderEvent, [
      ...history(),
      ev(
        'ORDER',
        'o-9',
        4,
        'FulfillmentTaskStateChangeEvent',
        task('t-access', 'item-1', 'ACCESS_PROVISION', 'DONE'),
      ),
      ev(
        'ORDER',
        'o-9',
        5,
        'FulfillmentTaskStateChangeEvent',
        task('t-sdwan', 'item-2', 'SDWAN_ACTIVATION', 'IN_PROGRESS'),
      ),
    ])!;
    const [access, sdwan] = orderTrackingView(row, at(70)).items;
    expect(access).toMatchObject({
      state: 'completed',
      fulfillmentMilestone: 'COMPLETED',
      blockingTaskId: null,
    });
    expect(sdwan).toMatchObject({
      state: 'inProgress',
      fulfillmentMilestone: 'SDWAN_ACTIVATION',
      blockingTaskId: 't-sdwan',
      waitingFor: [],
    });
  });

  it('shows a partner item progress without task ids', () => {
    const view = partnerOrderTrackingView(fold(applyOrderEvent, history())!, at(62));
    expect(view.items[0]).not.toHaveProperty('blockingTaskId');
    expect(view.items[1]).toMatchObject({ state: 'waitingDependency', waitingFor: ['item-1'] });
    expect(view.customer.displayName).toBe('Acme Manufacturing');
    expect(JSON.stringify(view)).not.toContain('t-access');
  });

  it('derives item dependencies from the plan: other items only, never the order-level billing', () => {
    const t = (id: string, orderItemId: string, dependsOn: string[]) =>
      ({ id, orderItemId, dependsOn }) as unknown as FulfillmentTask;
    expect(
      itemDependenciesOf([
        t('a1', 'item-1', []),
        t('a2', 'item-1', ['a1']),
        t('s1', 'item-2', ['a2']),
        t('bill', 'order', ['a2', 's1']),
      ]),
    ).toEqual({ 'item-2': ['item-1'] });
  });
});

describe('order SLA risk ranking', () => {
  const rowWith = (id: string, level: 'HIGH' | 'MEDIUM' | 'LOW', promised?: string): OrderTrackingRow => {
    const base = fold(applyOrderEvent, history())!;
    return {
      ...base,
      orderId: id,
      items: base.items.map((i) => ({ ...i, expectedCompletionDate: promised })),
      ...(level === 'HIGH' ? { jeopardy: { type: 'breached', alertDate: at(1) } } : {}),
      ...(level === 'MEDIUM' ? { jeopardy: { type: 'atRisk', alertDate: at(1) } } : {}),
      tasks: level === 'LOW' ? {} : base.tasks,
    };
  };

  it('ranks by risk, then by the promised completion date, earliest first', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            level: fc.constantFrom<'HIGH' | 'MEDIUM' | 'LOW'>('HIGH', 'MEDIUM', 'LOW'),
            dueInMinutes: fc.integer({ min: 0, max: 100_000 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (orders) => {
          const rows = orders.map((o, i) => rowWith(`o-${i}`, o.level, at(o.dueInMinutes)));
          const byKey = [...rows].sort((a, b) => (orderSlaRiskKey(a)! < orderSlaRiskKey(b)! ? -1 : 1));
          const rank = { HIGH: 0, MEDIUM: 1, LOW: 2 } as Record<string, number>;
          for (let i = 1; i < byKey.length; i++) {
            const [prev, next] = [orderSlaRiskView(byKey[i - 1]!), orderSlaRiskView(byKey[i]!)];
            const [rp, rn] = [rank[prev.slaRisk.level]!, rank[next.slaRisk.level]!];
            expect(rp).toBeLessThanOrEqual(rn);
            if (rp === rn) expect(prev.promisedCompletionAt! <= next.promisedCompletionAt!).toBe(true);
          }
        },
      ),
    );
  });

  it('falls back to the order date for orders created before promises were recorded', () => {
    const row = rowWith('o-old', 'HIGH', undefined);
    const { requestedCompletionDate: _, ...old } = row;
    expect(orderSlaRiskKey(old)).toBe(`0#${at(0)}#o-old`);
    expect(orderSlaRiskView(old).promisedCompletionAt).toBeNull();
  });
});
