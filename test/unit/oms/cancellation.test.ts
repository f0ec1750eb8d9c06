import { describe, expect, it } from 'vitest';
import type { DomainError } from '#domain/errors';
import { completeCancellation, requestCancellation } from '#domain/order/cancellation';
import {
  completeOrder,
  nextStep,
  recordTaskCompleted,
  recordTaskDispatched,
  recordTaskOutcomeUnknown,
  recordTaskQueried,
} from '#domain/order/fulfillment';
import { isPastPointOfNoReturn } from '#domain/order/point-of-no-return';
import type { ProductOrder } from '#domain/order/product-order';
import {
  at,
  ctx,
  frozen,
  inFlight,
  newOrder,
  runHappyPath,
  runUntilBilling,
  startedOrder,
} from './fixtures.ts';

const cancelRequest = { cancellationReason: 'Customer withdrew', cancelId: 'cx-1' };
const taskOf = (order: ProductOrder, id: string) => order.tasks.find((t) => t.id === id)!;
const FIRST = 'item-1-ACCESS_PROVISION';
const SERVICE = 'item-1-SERVICE_ACTIVATION';

const failure = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
};

/** Runs the compensation loop the way the state machine does. */
const compensate = (start: ProductOrder): ProductOrder => {
  let order = start;
  const seen: string[] = [];
  for (let guard = 0; guard < 20; guard++) {
    const step = nextStep(order);
    if (step.kind === 'CANCELLED') return completeCancellation(order, ctx(at(40))).order;
    if (step.kind !== 'DISPATCH') throw new Error(`unexpected ${step.kind}`);
    for (const ref of step.tasks) {
      seen.push(ref.taskId);
      order = recordTaskDispatched(order, ref.taskId, ctx(at(35))).order;
      order = recordTaskCompleted(
        order,
        ref.taskId,
        { downstreamRef: 'undo', source: 'response' },
        ctx(at(36)),
      ).order;
    }
  }
  throw new Error(`compensation did not converge: ${seen.join(',')}`);
};

describe('requestCancellation', () => {
  it('cancels at once when nothing reached a downstream', () => {
    const order = frozen(newOrder());
    const { order: cancelled, cancel, events } = requestCancellation(order, cancelRequest, ctx(at(2)));
    expect(cancelled.state).toBe('cancelled');
    expect(cancel).toMatchObject({
      id: 'cx-1',
      orderId: 'ord-1',
      state: 'done',
      effectiveCancellationDate: at(2),
    });
    expect(events.map((e) => e.eventType)).toEqual([
      'CancelProductOrderCreateEvent',
      'ProductOrderStateChangeEvent',
    ]);
    expect(nextStep(cancelled)).toEqual({ kind: 'DONE' });
  });

  it('compensates completed provisioning in reverse order, then cancels', () => {
    let order = startedOrder();
    for (const id of [FIRST, SERVICE]) {
      order = recordTaskDispatched(order, id, ctx(at(3))).order;
      order = recordTaskCompleted(order, id, { downstreamRef: id, source: 'response' }, ctx(at(4))).order;
    }
    const { order: pending, cancel } = requestCancellation(order, cancelRequest, ctx(at(10)));
    expect(pending.state).toBe('pendingCancellation');
    expect(cancel.state).toBe('inProgress');
    expect(taskOf(pending, 'item-2-SECURITY_ACTIVATION').state).toBe('CANCELLED');
    expect(taskOf(pending, 'BILLING_HANDOFF').state).toBe('CANCELLED');
    const first = nextStep(pending);
    expect(first).toMatchObject({
      kind: 'DISPATCH',
      tasks: [
        {
          taskId: `${SERVICE}-COMPENSATION`,
          type: 'SERVICE_DEACTIVATION',
          action: 'delete',
          compensationOf: SERVICE,
        },
      ],
    });
    if (first.kind === 'DISPATCH') expect(first.tasks).toHaveLength(1);
    const cancelled = compensate(pending);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.cancellation).toMatchObject({ state: 'done', effectiveCancellationDate: at(40) });
    expect(taskOf(cancelled, `${FIRST}-COMPENSATION`).state).toBe('DONE');
    expect(taskOf(cancelled, FIRST).state).toBe('DONE');
  });

  it('resolves an unknown outcome before deciding whether to undo it', () => {
    let order = recordTaskDispatched(startedOrder(), FIRST, ctx(at(2))).order;
    order = recordTaskOutcomeUnknown(order, FIRST, 'TIMEOUT', ctx(at(3))).order;
    const pending = requestCancellation(order, cancelRequest, ctx(at(4))).order;
    expect(nextStep(pending)).toMatchObject({
      kind: 'DISPATCH',
      tasks: [{ taskId: FIRST, mode: 'QUERY_FIRST' }],
    });
    const nothing = recordTaskQueried(pending, FIRST, 'NOT_FOUND', undefined, ctx(at(5)), inFlight).order;
    expect(taskOf(nothing, FIRST).state).toBe('CANCELLED');
    expect(taskOf(nothing, `${FIRST}-COMPENSATION`).state).toBe('CANCELLED');
    expect(nextStep(nothing)).toEqual({ kind: 'CANCELLED' });
    const happened = recordTaskQueried(
      pending,
      FIRST,
      'DONE',
      { downstreamRef: 'act-1' },
      ctx(at(5)),
      inFlight,
    ).order;
    expect(nextStep(happened)).toMatchObject({
      kind: 'DISPATCH',
      tasks: [{ taskId: `${FIRST}-COMPENSATION` }],
    });
  });

  it('is refused once billing has started', () => {
    const order = recordTaskDispatched(runUntilBilling(startedOrder()), 'BILLING_HANDOFF', ctx(at(8))).order;
    expect(isPastPointOfNoReturn(order)).toBe(true);
    const error = failure(() => requestCancellation(order, cancelRequest, ctx(at(9))));
    expect(error.code).toBe('POINT_OF_NO_RETURN');
    expect(error.status).toBe(422);
  });

  it('is allowed right before billing starts', () => {
    const order = runUntilBilling(startedOrder());
    expect(isPastPointOfNoReturn(order)).toBe(false);
    expect(requestCancellation(order, cancelRequest, ctx(at(9))).order.state).toBe('pendingCancellation');
  });

  it('refuses completed and cancelled orders, and a second cancellation', () => {
    const completed = runHappyPath(startedOrder());
    expect(completeOrder(completed, ctx()).order).toBe(completed);
    expect(failure(() => requestCancellation(completed, cancelRequest, ctx(at(20)))).code).toBe(
      'INVALID_STATE_TRANSITION',
    );
    const cancelled = requestCancellation(newOrder(), cancelRequest, ctx(at(2))).order;
    expect(
      failure(() => requestCancellation(cancelled, { ...cancelRequest, cancelId: 'cx-2' }, ctx())).code,
    ).toBe('INVALID_STATE_TRANSITION');
    expect(requestCancellation(cancelled, cancelRequest, ctx()).events).toEqual([]);
  });

  it("hides another channel's order from a partner", () => {
    const actor = { principalId: 'b', role: 'partner' as const, channelId: 'partner-b' };
    expect(failure(() => requestCancellation(newOrder(), cancelRequest, ctx(at(2), actor))).code).toBe(
      'NOT_FOUND',
    );
  });
});
