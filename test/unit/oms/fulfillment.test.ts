import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain/errors';
import {
  completeOrder,
  nextStep,
  recordFallout,
  recordTaskCompleted,
  recordTaskDispatched,
  recordTaskOutcomeUnknown,
  recordTaskQueried,
  recordTaskRetryableFailure,
  startFulfillment,
} from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import { MAX_DISPATCH_ATTEMPTS, MAX_PENDING_QUERIES } from '#domain/order/retry-budget';
import {
  at,
  ctx,
  frozen,
  inFlight,
  newOrder,
  plannedPartOf,
  runHappyPath,
  runUntilBilling,
  startedOrder,
} from './fixtures.ts';

const taskOf = (order: ProductOrder, id: string) => order.tasks.find((t) => t.id === id)!;
const FIRST = 'item-1-ACCESS_PROVISION';
const ref = (id: string) => ({ downstreamRef: `ds-${id}`, source: 'response' as const });

const dispatchIds = (order: ProductOrder, now?: string) => {
  const step = nextStep(order, now ? { now } : {});
  return step.kind === 'DISPATCH' ? step.tasks.map((t) => `${t.mode}:${t.taskId}`) : step.kind;
};

describe('startFulfillment', () => {
  it('moves acknowledged to inProgress and stores the plan once', () => {
    const order = frozen(newOrder());
    const { order: started, events } = startFulfillment(order, ctx(at(1)));
    expect(order.state).toBe('acknowledged');
    expect(started.state).toBe('inProgress');
    expect(started.version).toBe(order.version);
    expect(started.plan?.ruleVersion).toBe('decomp-2026.11.0');
    expect(started.tasks.map((t) => t.state)).toEqual(started.tasks.map(() => 'PENDING'));
    // The plan event names every task: no event per planned task, whatever the order's size.
    expect(events.map((e) => e.eventType)).toEqual([
      'FulfillmentPlanCreateEvent',
      'ProductOrderStateChangeEvent',
    ]);
    expect(events[0]!.resource).toMatchObject({ taskIds: started.tasks.map((t) => t.id) });
    const again = startFulfillment(started, ctx(at(2)));
    expect(again.order).toBe(started);
    expect(again.events).toEqual([]);
  });

  it('leaves the stored plan untouched while tasks execute', () => {
    const started = startedOrder();
    const plan = structuredClone(started.plan);
    const done = runHappyPath(started);
    expect(done.plan).toEqual(plan);
    expect(done.plan!.taskIds).toEqual(started.tasks.map((t) => t.id));
    for (const task of done.tasks) {
      const planned = started.tasks.find((p) => p.id === task.id)!;
      expect(plannedPartOf(task)).toEqual(plannedPartOf(planned));
    }
  });
});

describe('happy path', () => {
  it('dispatches in dependency order, hands off billing last and completes', () => {
    let order = startedOrder();
    expect(dispatchIds(order)).toEqual(['DISPATCH:item-1-ACCESS_PROVISION']);
    order = recordTaskDispatched(order, FIRST, ctx(at(2))).order;
    expect(dispatchIds(order, at(2))).toBe('WAIT');
    order = recordTaskCompleted(order, FIRST, ref(FIRST), ctx(at(3))).order;
    expect(dispatchIds(order)).toEqual(['DISPATCH:item-1-SERVICE_ACTIVATION']);
    order = recordTaskDispatched(order, 'item-1-SERVICE_ACTIVATION', ctx(at(4))).order;
    order = recordTaskCompleted(order, 'item-1-SERVICE_ACTIVATION', ref('x'), ctx(at(5))).order;
    expect(dispatchIds(order)).toEqual([
      'DISPATCH:item-2-SECURITY_ACTIVATION',
      'DISPATCH:item-3-IP_BLOCK_ASSIGN',
    ]);
    for (const id of ['item-2-SECURITY_ACTIVATION', 'item-3-IP_BLOCK_ASSIGN']) {
      order = recordTaskDispatched(order, id, ctx(at(6))).order;
      order = recordTaskCompleted(order, id, ref(id), ctx(at(7))).order;
    }
    expect(dispatchIds(order)).toEqual(['DISPATCH:BILLING_HANDOFF']);
    expect(() => completeOrder(order, ctx(at(8)))).toThrow(DomainError);
    order = recordTaskDispatched(order, 'BILLING_HANDOFF', ctx(at(8))).order;
    order = recordTaskCompleted(order, 'BILLING_HANDOFF', ref('bill'), ctx(at(9))).order;
    expect(nextStep(order)).toEqual({ kind: 'COMPLETE' });
    const { order: completed, events } = completeOrder(order, ctx(at(10)));
    expect(completed.state).toBe('completed');
    expect(completed.completionDate).toBe(at(10));
    expect(events.map((e) => e.eventType)).toEqual(['ProductOrderStateChangeEvent']);
    expect(events[0]?.resource).toMatchObject({ state: 'completed', previousState: 'inProgress' });
    expect(nextStep(completed)).toEqual({ kind: 'DONE' });
    expect(completed.tasks.every((t) => t.attempts === 1 && t.evidence?.source === 'response')).toBe(true);
  });

  it('emits a task event for every task transition and carries correlation ids', () => {
    const order = frozen(startedOrder());
    const { events } = recordTaskDispatched(order, FIRST, ctx(at(2)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventType: 'FulfillmentTaskStateChangeEvent',
      domain: 'productOrder',
      resource: {
        taskId: FIRST,
        state: 'IN_PROGRESS',
        previousState: 'PENDING',
        attempts: 1,
        correlationId: taskOf(order, FIRST).correlationId,
        ruleVersion: 'decomp-2026.11.0',
      },
    });
  });

  it('refuses to dispatch a task twice or complete an undispatched one', () => {
    const order = recordTaskDispatched(startedOrder(), FIRST, ctx(at(2))).order;
    expect(() => recordTaskDispatched(order, FIRST, ctx(at(3)))).toThrow(/dispatch/);
    expect(() => recordTaskCompleted(order, 'BILLING_HANDOFF', ref('b'), ctx(at(3)))).toThrow(DomainError);
  });
});

describe('unknown outcome', () => {
  const unknown = () => {
    const dispatched = recordTaskDispatched(startedOrder(), FIRST, ctx(at(2))).order;
    return recordTaskOutcomeUnknown(dispatched, FIRST, 'TIMEOUT_AFTER_SUBMIT', ctx(at(3))).order;
  };

  it('is queried first, and a DONE answer completes the task from the query without re-dispatch', () => {
    const order = unknown();
    expect(taskOf(order, FIRST)).toMatchObject({ state: 'UNKNOWN', lastErrorCode: 'TIMEOUT_AFTER_SUBMIT' });
    expect(dispatchIds(order)).toEqual([`QUERY_FIRST:${FIRST}`]);
    const { order: queried, events } = recordTaskQueried(
      order,
      FIRST,
      'DONE',
      { downstreamRef: 'act-9' },
      ctx(at(4)),
      inFlight,
    );
    expect(taskOf(queried, FIRST)).toMatchObject({
      state: 'DONE',
      attempts: 1,
      evidence: { source: 'query' },
    });
    expect(events[0]?.resource).toMatchObject({ state: 'DONE', previousState: 'UNKNOWN' });
    const done = runHappyPath(queried);
    expect(done.state).toBe('completed');
    expect(taskOf(done, FIRST)).toMatchObject({
      attempts: 1,
      evidence: { downstreamRef: 'act-9', source: 'query' },
    });
  });

  it('needs evidence for a DONE query answer', () => {
    expect(() => recordTaskQueried(unknown(), FIRST, 'DONE', undefined, ctx(at(4)), inFlight)).toThrow(
      /downstream reference/,
    );
  });

  it('re-dispatches with the same correlation id after NOT_FOUND', () => {
    const order = unknown();
    const correlationId = taskOf(order, FIRST).correlationId;
    const notFound = recordTaskQueried(order, FIRST, 'NOT_FOUND', undefined, ctx(at(4)), inFlight).order;
    expect(taskOf(notFound, FIRST).state).toBe('PENDING');
    const step = nextStep(notFound);
    expect(step).toMatchObject({
      kind: 'DISPATCH',
      tasks: [{ taskId: FIRST, mode: 'DISPATCH', correlationId }],
    });
    const again = recordTaskDispatched(notFound, FIRST, ctx(at(5))).order;
    expect(taskOf(again, FIRST).attempts).toBe(2);
  });

  it('bounds PENDING answers and then falls out as unresolved', () => {
    let order = unknown();
    for (let i = 0; i < MAX_PENDING_QUERIES - 1; i++) {
      order = recordTaskQueried(order, FIRST, 'PENDING', undefined, ctx(at(4 + i)), inFlight).order;
      expect(order.state).toBe('inProgress');
      expect(nextStep(order)).toMatchObject({
        kind: 'DISPATCH',
        tasks: [{ mode: 'QUERY_FIRST', queries: i + 1 }],
      });
    }
    order = recordTaskQueried(order, FIRST, 'PENDING', undefined, ctx(at(20)), inFlight).order;
    expect(order.state).toBe('held');
    expect(order.fallout).toMatchObject({
      reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED',
      ownerTeam: 'network-ops',
      taskId: FIRST,
    });
    expect(taskOf(order, FIRST).state).toBe('UNKNOWN');
    expect(nextStep(order)).toEqual({ kind: 'HELD' });
  });

  it('treats a dispatch without outcome as unknown once it is no longer in flight', () => {
    const order = recordTaskDispatched(startedOrder(), FIRST, ctx(at(2))).order;
    expect(nextStep(order, { now: at(2.5) })).toEqual({ kind: 'WAIT', reason: 'IN_FLIGHT' });
    expect(dispatchIds(order, at(10))).toEqual([`QUERY_FIRST:${FIRST}`]);
    expect(dispatchIds(order)).toEqual([`QUERY_FIRST:${FIRST}`]);
  });
});

describe('failures', () => {
  it('retries a failure before any side effect within the budget, then falls out', () => {
    let order = startedOrder();
    for (let i = 1; i < MAX_DISPATCH_ATTEMPTS; i++) {
      order = recordTaskDispatched(order, FIRST, ctx(at(i))).order;
      order = recordTaskRetryableFailure(order, FIRST, 'HTTP_503', ctx(at(i))).order;
      expect(taskOf(order, FIRST)).toMatchObject({
        state: 'PENDING',
        attempts: i,
        lastErrorCode: 'HTTP_503',
      });
    }
    order = recordTaskDispatched(order, FIRST, ctx(at(9))).order;
    order = recordTaskRetryableFailure(order, FIRST, 'HTTP_503', ctx(at(9))).order;
    expect(order.state).toBe('held');
    expect(order.fallout).toMatchObject({ reasonCode: 'RETRY_BUDGET_EXHAUSTED', ownerTeam: 'network-ops' });
    expect(taskOf(order, FIRST).state).toBe('FAILED');
  });

  it('puts a rejected provisioning task in controlled fallout owned by network-ops', () => {
    const dispatched = recordTaskDispatched(startedOrder(), FIRST, ctx(at(2))).order;
    const { order, events } = recordFallout(
      dispatched,
      FIRST,
      { reasonCode: 'DOWNSTREAM_REJECTED', nextAction: 'Fix the site address' },
      ctx(at(3)),
    );
    expect(order.state).toBe('held');
    expect(order.fallout).toEqual({
      reasonCode: 'DOWNSTREAM_REJECTED',
      ownerTeam: 'network-ops',
      nextAction: 'Fix the site address',
      since: at(3),
      taskId: FIRST,
      heldFrom: 'inProgress',
    });
    expect(taskOf(order, FIRST).state).toBe('FAILED');
    expect(events.map((e) => e.eventType).sort()).toEqual([
      'FulfillmentTaskStateChangeEvent',
      'ProductOrderStateChangeEvent',
    ]);
    expect(nextStep(order)).toEqual({ kind: 'HELD' });
    expect(() => completeOrder(order, ctx(at(4)))).toThrow(DomainError);
  });

  it('routes a billing rejection to billing-ops and never completes the order', () => {
    let order = startedOrder();
    order = runUntilBilling(order);
    order = recordTaskDispatched(order, 'BILLING_HANDOFF', ctx(at(8))).order;
    order = recordFallout(order, 'BILLING_HANDOFF', { reasonCode: 'BILLING_REJECTED' }, ctx(at(9))).order;
    expect(order.state).toBe('held');
    expect(order.fallout).toMatchObject({ reasonCode: 'BILLING_REJECTED', ownerTeam: 'billing-ops' });
    expect(() => completeOrder(order, ctx(at(10)))).toThrow(DomainError);
  });
});
