import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderFacts } from '#domain/reconciliation/checks';
import {
  firstExecutionName,
  resumeExecutionName,
  strandedOrders,
} from '#domain/reconciliation/stranded-orders';

const now = '2026-11-10T12:00:00.000Z';
const minutesAgo = (m: number) => new Date(Date.parse(now) - m * 60_000).toISOString();
const threshold = 15 * 60_000;

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: 'po-1',
  version: 7,
  state: 'inProgress',
  quoteId: 'q-1',
  channelId: 'sales-portal',
  orderDate: minutesAgo(120),
  updatedAt: minutesAgo(60),
  correlationId: 'corr-order',
  planned: true,
  tasks: [
    {
      id: 't-1',
      orderItemId: '1',
      type: 'ACCESS_PROVISION',
      action: 'add',
      downstream: 'provisioning',
      correlationId: 'ful-1',
      state: 'PENDING',
      attempts: 0,
    },
  ],
  ...over,
});
const neverPlanned = (over: Partial<OrderFacts> = {}) =>
  order({ state: 'acknowledged', planned: false, tasks: [], version: 1, ...over });

describe('stranded orders (order → fulfillment execution)', () => {
  it('an order whose events never reached fulfillment restarts under the creation event’s name first', () => {
    const [found] = strandedOrders([neverPlanned()], [], now, threshold, 'run-corr');
    expect(found!.draft).toMatchObject({
      check: 'order-execution-started',
      classification: 'ORDER_EXECUTION_NOT_STARTED',
      sourceRecord: { type: 'ProductOrder', id: 'po-1', state: 'acknowledged' },
      counterpartRecord: { type: 'FulfillmentExecution', state: 'NONE_RUNNING' },
      repairDecision: { mode: 'AUTO' },
    });
    expect(found!.restart).toEqual({
      orderId: 'po-1',
      executionNames: [firstExecutionName('po-1'), resumeExecutionName('po-1', 1)],
      input: { orderId: 'po-1', correlationId: 'corr-order', loops: 0 },
    });
  });

  it('an order in progress with no running execution restarts once per order version', () => {
    const [found] = strandedOrders([order()], ['order-po-2', 'po-3-evt'], now, threshold, 'run-corr');
    expect(found!.draft.classification).toBe('ORDER_EXECUTION_STRANDED');
    expect(found!.restart!.executionNames).toEqual([resumeExecutionName('po-1', 7)]);
  });

  it('leaves orders with a running execution (creation, repair or resume name), recent, final or held', () => {
    const running = ['order-po-a', 'po-b-2f3c', 'order-po-c-resume-v4'];
    const orders = [
      order({ id: 'po-a' }),
      order({ id: 'po-b', state: 'pendingCancellation' }),
      order({ id: 'po-c' }),
      order({ id: 'po-recent', updatedAt: minutesAgo(5) }),
      ...['completed', 'cancelled', 'rejected', 'failed', 'partial', 'held'].map((state) =>
        order({ id: `po-${state}`, state }),
      ),
    ];
    expect(strandedOrders(orders, running, now, threshold, 'c')).toEqual([]);
  });

  it('judges age by the last change, falling back to the order date', () => {
    const changedLately = order({ orderDate: minutesAgo(600), updatedAt: minutesAgo(1) });
    const noUpdate = order({ id: 'po-2', updatedAt: undefined, orderDate: minutesAgo(30) });
    const found = strandedOrders([changedLately, noUpdate], [], now, threshold, 'c');
    expect(found.map((f) => f.draft.sourceRecord.id)).toEqual(['po-2']);
  });

  it('when executions cannot be listed: reported for a human, nothing restarted', () => {
    const found = strandedOrders([order(), neverPlanned({ id: 'po-9' })], undefined, now, threshold, 'c');
    expect(found).toHaveLength(2);
    for (const f of found) {
      expect(f.restart).toBeUndefined();
      expect(f.draft.repairDecision.mode).toBe('MANUAL');
      expect(f.draft.counterpartRecord?.state).toBe('UNVERIFIED');
    }
  });

  it('execution names are valid Step Functions names and differ per version', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 120 }), fc.nat(1_000_000), (id, version) => {
        for (const name of [firstExecutionName(id), resumeExecutionName(id, version)]) {
          expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
        }
        if (id.length <= 40) {
          expect(resumeExecutionName(id, version)).not.toBe(resumeExecutionName(id, version + 1));
        }
      }),
    );
  });

  it('property: a restart is planned exactly for active, old, unexecuted orders', () => {
    const states = ['acknowledged', 'inProgress', 'pendingCancellation', 'completed', 'held', 'cancelled'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            state: fc.constantFrom(...states),
            ageMin: fc.integer({ min: 0, max: 120 }),
            running: fc.boolean(),
          }),
          { maxLength: 12 },
        ),
        (specs) => {
          const orders = specs.map((s, i) =>
            order({ id: `po-${i}x`, state: s.state, updatedAt: minutesAgo(s.ageMin) }),
          );
          const running = specs.flatMap((s, i) => (s.running ? [`order-po-${i}x`] : []));
          const found = new Set(
            strandedOrders(orders, running, now, threshold, 'c').map((f) => f.draft.sourceRecord.id),
          );
          specs.forEach((s, i) => {
            const expected =
              ['acknowledged', 'inProgress', 'pendingCancellation'].includes(s.state) &&
              s.ageMin > 15 &&
              !s.running;
            expect(found.has(`po-${i}x`)).toBe(expected);
          });
        },
      ),
    );
  });
});
