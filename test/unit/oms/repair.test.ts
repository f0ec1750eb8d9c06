import { describe, expect, it } from 'vitest';
import type { DomainError } from '#domain/errors';
import {
  nextStep,
  recordFallout,
  recordTaskDispatched,
  recordTaskOutcomeUnknown,
  recordTaskQueried,
  startFulfillment,
} from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import { type DownstreamConfirmation, type RepairRequest, repairTask } from '#domain/order/repair';
import {
  acceptedQuote,
  at,
  ctx,
  frozen,
  inFlight,
  newOrder,
  ops,
  runHappyPath,
  runUntilBilling,
  startedOrder,
} from './fixtures.ts';

const FIRST = 'item-1-ACCESS_PROVISION';
const taskOf = (order: ProductOrder, id: string) => order.tasks.find((t) => t.id === id)!;

const rejected = () => {
  const dispatched = recordTaskDispatched(startedOrder(), FIRST, ctx(at(2))).order;
  return recordFallout(dispatched, FIRST, { reasonCode: 'DOWNSTREAM_REJECTED' }, ctx(at(3))).order;
};

const unknownHeld = (queried: boolean) => {
  let order = recordTaskDispatched(startedOrder(), FIRST, ctx(at(2))).order;
  order = recordTaskOutcomeUnknown(order, FIRST, 'LOST_RESPONSE', ctx(at(3))).order;
  if (queried) order = recordTaskQueried(order, FIRST, 'PENDING', undefined, ctx(at(4)), inFlight).order;
  return recordFallout(order, FIRST, { reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' }, ctx(at(5))).order;
};

const repair = (
  order: ProductOrder,
  request: RepairRequest,
  actor = ops,
  taskId = FIRST,
  confirmation?: DownstreamConfirmation,
) => repairTask(order, taskId, request, ctx(at(30), actor), confirmation);

const confirmed = (...completedRefs: string[]): DownstreamConfirmation => ({ status: 'DONE', completedRefs });
const markComplete = (downstreamRef: string) =>
  ({ action: 'MARK_COMPLETE', reasonCode: 'CHECKED', evidence: { downstreamRef } }) as const;

const failure = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
};

describe('repairTask', () => {
  it('is for ops only', () => {
    const error = failure(() => repair(rejected(), { action: 'RETRY', reasonCode: 'FIXED' }, ctx().actor));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.status).toBe(403);
  });

  it('requires a reason code', () => {
    expect(failure(() => repair(rejected(), { action: 'RETRY', reasonCode: ' ' })).code).toBe(
      'REASON_CODE_REQUIRED',
    );
  });

  it('refuses MARK_COMPLETE without evidence that the downstream completed', () => {
    const order = unknownHeld(true);
    expect(failure(() => repair(order, { action: 'MARK_COMPLETE', reasonCode: 'CHECKED' })).code).toBe(
      'EVIDENCE_REQUIRED',
    );
    expect(
      failure(() =>
        repair(order, { action: 'MARK_COMPLETE', reasonCode: 'CHECKED', evidence: { note: 'trust me' } }),
      ).code,
    ).toBe('EVIDENCE_REQUIRED');
  });

  it('refuses an invented reference: the downstream must confirm it, whatever it answers otherwise', () => {
    const order = frozen(unknownHeld(true));
    const answers: (DownstreamConfirmation | undefined)[] = [
      undefined,
      { status: 'NOT_FOUND' },
      { status: 'PENDING' },
      confirmed(),
      confirmed('act-1', 'act-2'),
    ];
    for (const answer of answers) {
      const error = failure(() => repair(order, markComplete('act-invented'), ops, FIRST, answer));
      expect(error.code).toBe('EVIDENCE_REQUIRED');
      expect(error.status).toBe(422);
      expect(error.details).toMatchObject({
        downstreamRef: 'act-invented',
        correlationId: expect.any(String),
      });
    }
  });

  it('answers 503 when the downstream cannot be asked, and changes nothing', () => {
    const order = frozen(unknownHeld(true));
    const error = failure(() =>
      repair(order, markComplete('act-42'), ops, FIRST, {
        status: 'UNAVAILABLE',
        reason: 'DownstreamTimeout',
      }),
    );
    expect(error.code).toBe('DOWNSTREAM_UNAVAILABLE');
    expect(error.status).toBe(503);
  });

  it('accepts a reference the downstream confirms among those it completed for the task', () => {
    const order = frozen(unknownHeld(true));
    const { order: repaired } = repair(
      order,
      markComplete(' act-2 '),
      ops,
      FIRST,
      confirmed('act-1', 'act-2'),
    );
    expect(taskOf(repaired, FIRST)).toMatchObject({
      state: 'DONE',
      evidence: { downstreamRef: 'act-2', source: 'repair', confirmedBy: 'downstream-query' },
    });
  });

  it('marks complete with confirmed evidence, audits, and releases the hold', () => {
    const order = frozen(unknownHeld(false));
    const evidence = { downstreamRef: 'act-42', note: 'seen in provisioning console' };
    const { order: repaired, events } = repair(
      order,
      {
        action: 'MARK_COMPLETE',
        reasonCode: 'DOWNSTREAM_CONFIRMED',
        evidence,
      },
      ops,
      FIRST,
      confirmed('act-42'),
    );
    expect(repaired.state).toBe('inProgress');
    expect(repaired.fallout).toBeUndefined();
    expect(repaired.falloutHistory).toMatchObject([
      { reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED', resolvedAt: at(30) },
    ]);
    expect(taskOf(repaired, FIRST)).toMatchObject({
      state: 'DONE',
      evidence: { downstreamRef: 'act-42', source: 'repair' },
    });
    expect(repaired.repairs).toEqual([
      {
        id: 'ord-1-repair-1',
        actor: { principalId: 'ops-user', role: 'ops' },
        action: 'MARK_COMPLETE',
        taskId: FIRST,
        reasonCode: 'DOWNSTREAM_CONFIRMED',
        evidence,
        at: at(30),
        correlationId: 'corr-1',
        before: { orderState: 'held', taskState: 'UNKNOWN' },
        after: { orderState: 'inProgress', taskState: 'DONE' },
      },
    ]);
    expect(events.map((e) => e.eventType)).toEqual([
      'ProductOrderStateChangeEvent',
      'FulfillmentTaskStateChangeEvent',
      'FulfillmentTaskRepairEvent',
    ]);
    expect(runHappyPath(repaired).state).toBe('completed');
  });

  it('refuses RETRY of an unknown outcome that was not queried since', () => {
    const error = failure(() => repair(unknownHeld(false), { action: 'RETRY', reasonCode: 'TRY_AGAIN' }));
    expect(error.code).toBe('OUTCOME_UNKNOWN');
    expect(error.status).toBe(422);
  });

  it('lets RETRY of a queried unknown outcome resolve it query-first, never blindly', () => {
    const { order } = repair(unknownHeld(true), { action: 'RETRY', reasonCode: 'DOWNSTREAM_RECOVERED' });
    expect(order.state).toBe('inProgress');
    expect(nextStep(order)).toMatchObject({
      kind: 'DISPATCH',
      tasks: [{ taskId: FIRST, mode: 'QUERY_FIRST' }],
    });
  });

  it('RETRY of a rejected task re-dispatches it and the order then completes', () => {
    const { order } = repair(rejected(), { action: 'RETRY', reasonCode: 'ADDRESS_CORRECTED' });
    expect(order.state).toBe('inProgress');
    expect(taskOf(order, FIRST)).toMatchObject({
      state: 'PENDING',
      attempts: 1,
      budgetFrom: { attempts: 1 },
    });
    const completed = runHappyPath(order);
    expect(completed.state).toBe('completed');
    expect(taskOf(completed, FIRST).attempts).toBe(2);
    expect(completed.repairs).toHaveLength(1);
  });

  it('refuses to retry a task that is already done', () => {
    const order = runUntilBilling(startedOrder());
    expect(failure(() => repair(order, { action: 'RETRY', reasonCode: 'X' })).code).toBe(
      'INVALID_STATE_TRANSITION',
    );
  });

  it('retries a failed decomposition', () => {
    const quote = acceptedQuote({ lines: [{ ...acceptedQuote().lines[0]!, offeringId: 'off-unknown' }] });
    const held = startFulfillment(newOrder(quote), ctx(at(1))).order;
    const { order } = repair(held, { action: 'RETRY', reasonCode: 'RULE_PUBLISHED' }, ops, 'DECOMPOSITION');
    expect(order.state).toBe('acknowledged');
    expect(order.repairs[0]?.before).toEqual({ orderState: 'held', taskState: 'NOT_PLANNED' });
  });

  it('CANCEL before the point of no return starts compensation; after billing started it is refused', () => {
    const { order, events } = repair(rejected(), { action: 'CANCEL', reasonCode: 'CUSTOMER_WITHDREW' });
    expect(order.state).toBe('cancelled');
    expect(order.cancellation).toMatchObject({ state: 'done', cancellationReason: 'CUSTOMER_WITHDREW' });
    expect(events.map((e) => e.eventType)).toContain('CancelProductOrderCreateEvent');
    const billing = recordTaskDispatched(
      runUntilBilling(startedOrder()),
      'BILLING_HANDOFF',
      ctx(at(8)),
    ).order;
    const held = recordFallout(
      billing,
      'BILLING_HANDOFF',
      { reasonCode: 'BILLING_REJECTED' },
      ctx(at(9)),
    ).order;
    expect(
      failure(() => repair(held, { action: 'CANCEL', reasonCode: 'X' }, ops, 'BILLING_HANDOFF')).code,
    ).toBe('POINT_OF_NO_RETURN');
  });
});
