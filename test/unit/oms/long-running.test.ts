import { describe, expect, it } from 'vitest';
import { applyDownstreamNotice, RECENT_PROGRESS_KEPT } from '#domain/order/downstream-notice';
import { nextStep, recordTaskDispatched, recordTaskQueried } from '#domain/order/fulfillment';
import { acceptTask, attendWaitingTasks, recordAwaitedQuery, scaledTimers } from '#domain/order/long-running';
import { findTask } from '#domain/order/order-changes';
import type { ProductOrder } from '#domain/order/product-order';
import { ctx, inFlight, startedOrder, T0 } from './fixtures.ts';

const FIBER = 'item-1-ACCESS_PROVISION';
const hours = (h: number) => new Date(Date.parse(T0) + h * 3600_000).toISOString();
const days = (d: number) => hours(d * 24);
let ids = 0;
const withIds = (now: string) => ({ ...ctx(now), newId: () => `alert-${++ids}` });

/** A fiber task dispatched at T0 that the downstream accepted as long-running work (real time: scale 1). */
const acceptedFiber = (): ProductOrder => {
  const sent = recordTaskDispatched(startedOrder(), FIBER, ctx(T0)).order;
  return acceptTask(sent, FIBER, 'prov-42', scaledTimers('ACCESS_PROVISION', undefined, 1), ctx(T0)).order;
};
const correlationOf = (order: ProductOrder) => findTask(order, FIBER).correlationId;

describe('long-running downstream work', () => {
  it('a fiber task waits for days without a query while the downstream reports progress, then completes through its callback', () => {
    let order = acceptedFiber();
    expect(nextStep(order, { now: T0 })).toMatchObject({ kind: 'WAIT', reason: 'AWAITING_COMPLETION' });
    for (let day = 1; day <= 3; day++) {
      const notice = {
        correlationId: correlationOf(order),
        status: 'PROGRESS' as const,
        reference: 'prov-42',
        sequence: day,
      };
      const applied = applyDownstreamNotice(order, FIBER, notice, ctx(days(day)));
      if (applied.kind !== 'APPLIED') throw new Error(applied.kind);
      order = applied.change.order;
      // Heard from within the heartbeat (12 h): nothing to query, the workflow sleeps until a timer.
      expect(nextStep(order, { now: hours(day * 24 + 1) })).toMatchObject({
        kind: 'WAIT',
        reason: 'AWAITING_COMPLETION',
      });
    }
    expect(findTask(order, FIBER)).toMatchObject({
      state: 'IN_PROGRESS',
      progress: { count: 3, lastSequence: 3 },
    });
    const done = applyDownstreamNotice(
      order,
      FIBER,
      {
        correlationId: correlationOf(order),
        status: 'COMPLETED',
        reference: 'prov-42',
        evidence: { circuit: 'C-1' },
      },
      ctx(days(4)),
    );
    if (done.kind !== 'APPLIED') throw new Error(done.kind);
    expect(findTask(done.change.order, FIBER)).toMatchObject({
      state: 'DONE',
      evidence: { downstreamRef: 'prov-42', source: 'callback', circuit: 'C-1' },
    });
    expect(done.change.order.state).toBe('inProgress');
    expect(done.change.events.map((e) => e.eventType)).toContain('FulfillmentTaskStateChangeEvent');
  });

  it('a notice delivered twice changes nothing; one for an unknown or finished task is refused with a code', () => {
    const order = acceptedFiber();
    const correlationId = correlationOf(order);
    const progress = { correlationId, status: 'PROGRESS' as const, reference: 'prov-42', sequence: 7 };
    const first = applyDownstreamNotice(order, FIBER, progress, ctx(hours(1)));
    if (first.kind !== 'APPLIED') throw new Error(first.kind);
    expect(applyDownstreamNotice(first.change.order, FIBER, progress, ctx(hours(2)))).toEqual({
      kind: 'DUPLICATE',
    });

    const completed = { correlationId, status: 'COMPLETED' as const, reference: 'prov-42' };
    const done = applyDownstreamNotice(first.change.order, FIBER, completed, ctx(hours(3)));
    if (done.kind !== 'APPLIED') throw new Error(done.kind);
    expect(applyDownstreamNotice(done.change.order, FIBER, completed, ctx(hours(4)))).toEqual({
      kind: 'DUPLICATE',
    });
    expect(
      applyDownstreamNotice(
        done.change.order,
        FIBER,
        { ...completed, reference: 'prov-other' },
        ctx(hours(4)),
      ),
    ).toMatchObject({
      kind: 'REFUSED',
      code: 'TASK_FINISHED',
    });
    expect(applyDownstreamNotice(done.change.order, FIBER, progress, ctx(hours(4)))).toMatchObject({
      kind: 'REFUSED',
      code: 'TASK_FINISHED',
    });
    expect(
      applyDownstreamNotice(order, FIBER, { ...completed, correlationId: 'ful-unknown' }, ctx(hours(4))),
    ).toMatchObject({
      kind: 'REFUSED',
      code: 'UNKNOWN_TASK',
    });
    expect(applyDownstreamNotice(order, 'no-such-task', completed, ctx(hours(4)))).toMatchObject({
      kind: 'REFUSED',
      code: 'UNKNOWN_TASK',
    });
  });

  it('keeps the last few progress notices and counts the rest (bounded on the task)', () => {
    let order = acceptedFiber();
    for (let i = 1; i <= 40; i++) {
      const n = {
        correlationId: correlationOf(order),
        status: 'PROGRESS' as const,
        reference: 'prov-42',
        sequence: i,
        message: 'x'.repeat(5000),
      };
      const applied = applyDownstreamNotice(order, FIBER, n, ctx(hours(i)));
      if (applied.kind !== 'APPLIED') throw new Error(applied.kind);
      order = applied.change.order;
    }
    const progress = findTask(order, FIBER).progress!;
    expect(progress.count).toBe(40);
    expect(progress.recent.map((p) => p.sequence)).toEqual([36, 37, 38, 39, 40]);
    expect(progress.recent).toHaveLength(RECENT_PROGRESS_KEPT);
    expect(JSON.stringify(progress).length).toBeLessThan(2000);
  });

  it('a first check after the expected time raises atRisk, then breached, once each: the ladder does not depend on when the check ran', () => {
    // Fiber: expected 10 days, hard limit 20; the workflow first wakes on day 12 (a late timer).
    const first = attendWaitingTasks(acceptedFiber(), withIds(days(12)));
    const levels = first.events
      .filter((e) => e.eventType === 'ProductOrderJeopardyEvent')
      .map((e) => (e.resource as { jeopardyAlert: { jeopardyType: string } }).jeopardyAlert.jeopardyType);
    expect(levels).toEqual(['atRisk', 'breached']);
    expect(first.order.jeopardyAlerts?.map((a) => a.jeopardyType)).toEqual(['atRisk', 'breached']);
    expect(attendWaitingTasks(first.order, withIds(days(13))).events).toEqual([]);
  });

  it('a silent downstream is queried, then in jeopardy (atRisk, then breached, once each), never an unknown outcome; at its hard limit it falls out as stalled', () => {
    let order = acceptedFiber();
    const levels: string[] = [];
    // Every time the workflow wakes it asks the domain what is due, as NextStep does.
    for (let h = 1; h <= 20 * 24; h++) {
      const now = hours(h);
      const attended = attendWaitingTasks(order, withIds(now));
      order = attended.order;
      for (const e of attended.events) {
        if (e.eventType === 'ProductOrderJeopardyEvent')
          levels.push((e.resource as { jeopardyAlert: { jeopardyType: string } }).jeopardyAlert.jeopardyType);
      }
      if (order.state === 'held') break;
      const step = nextStep(order, { now });
      if (step.kind === 'DISPATCH') {
        expect(step.tasks).toEqual([expect.objectContaining({ taskId: FIBER, mode: 'QUERY_FIRST' })]);
        // The downstream says "still running": heard, the wait goes on.
        order = recordAwaitedQuery(order, FIBER, 'PENDING', now).order;
      }
      expect(findTask(order, FIBER).state).toBe('IN_PROGRESS');
    }
    expect(levels).toEqual(['atRisk', 'breached']);
    const alerts = order.jeopardyAlerts ?? [];
    expect(alerts.map((a) => a.jeopardyType)).toEqual(['atRisk', 'breached']);
    expect(alerts[1]).toMatchObject({
      owner: 'network-ops',
      productOrderItem: [{ productOrderItemId: 'item-1' }],
    });
    expect(alerts[1]?.nextAction).toContain('prov-42');
    expect(order.state).toBe('held');
    expect(order.fallout).toMatchObject({
      reasonCode: 'DOWNSTREAM_STALLED',
      taskId: FIBER,
      detail: { known: 'STALLED', downstreamRef: 'prov-42' },
    });
    expect(findTask(order, FIBER).queries).toBe(0);
  });

  it('work still reporting progress at its hard limit falls out as overdue (still in progress), not stalled', () => {
    let order = acceptedFiber();
    const notice = {
      correlationId: correlationOf(order),
      status: 'PROGRESS' as const,
      reference: 'prov-42',
      sequence: 1,
    };
    const applied = applyDownstreamNotice(order, FIBER, notice, ctx(hours(20 * 24 - 1)));
    if (applied.kind !== 'APPLIED') throw new Error(applied.kind);
    order = attendWaitingTasks(applied.change.order, withIds(days(20))).order;
    expect(order.fallout).toMatchObject({
      reasonCode: 'DOWNSTREAM_OVERDUE',
      detail: { known: 'IN_PROGRESS' },
    });
  });

  it('a late failure notice is a real failure: held DOWNSTREAM_REJECTED, not unknown', () => {
    const order = acceptedFiber();
    const failed = applyDownstreamNotice(
      order,
      FIBER,
      { correlationId: correlationOf(order), status: 'FAILED', reference: 'prov-42', message: 'no duct' },
      ctx(days(2)),
    );
    if (failed.kind !== 'APPLIED') throw new Error(failed.kind);
    expect(failed.change.order.state).toBe('held');
    expect(failed.change.order.fallout).toMatchObject({ reasonCode: 'DOWNSTREAM_REJECTED', taskId: FIBER });
    expect(findTask(failed.change.order, FIBER).state).toBe('FAILED');
  });

  it('a dispatch in doubt that a query finds still running waits like accepted work instead of counting toward an unresolved hold', () => {
    let order = recordTaskDispatched(startedOrder(), FIBER, ctx(T0)).order;
    // Before: PENDING answers are counted and the order is held UNKNOWN_OUTCOME_UNRESOLVED after a few.
    let polled = order;
    for (let i = 1; i <= 6 && polled.state !== 'held'; i++) {
      polled = recordTaskQueried(
        polled,
        FIBER,
        'PENDING',
        { downstreamRef: 'prov-42' },
        ctx(hours(i)),
        inFlight,
      ).order;
    }
    expect(polled.fallout?.reasonCode).toBe('UNKNOWN_OUTCOME_UNRESOLVED');
    // Now: the running work is accepted with the catalog's timers, counted from the dispatch.
    order = acceptTask(
      order,
      FIBER,
      'prov-42',
      scaledTimers('ACCESS_PROVISION', undefined, 1),
      ctx(hours(1)),
    ).order;
    expect(findTask(order, FIBER)).toMatchObject({
      state: 'IN_PROGRESS',
      wait: { expectedBy: days(10), hardLimitAt: days(20) },
    });
    expect(nextStep(order, { now: hours(1) })).toMatchObject({ kind: 'WAIT', reason: 'AWAITING_COMPLETION' });
  });

  it('the catalog scales timers per task type: fiber days, activations minutes, compressed by the local time scale', () => {
    expect(scaledTimers('ACCESS_PROVISION', undefined, 1).expectedSeconds).toBe(10 * 86_400);
    expect(scaledTimers('SERVICE_ACTIVATION', undefined, 1).expectedSeconds).toBe(15 * 60);
    const custom = {
      ACCESS_PROVISION: { expectedSeconds: 86_400, heartbeatSeconds: 3600, hardLimitSeconds: 172_800 },
    };
    expect(scaledTimers('ACCESS_PROVISION', custom, 0.001)).toEqual({
      expectedSeconds: 86.4,
      heartbeatSeconds: 3.6,
      hardLimitSeconds: 172.8,
      firstCheckSeconds: 1,
    });
  });
});
