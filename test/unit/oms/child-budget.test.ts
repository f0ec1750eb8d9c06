import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type ChildBudget, fitsInChild, handBackBeforeDispatch } from '#domain/order/child-budget';
import {
  nextStep,
  recordTaskDispatched,
  recordTaskOutcomeUnknown,
  recordTaskQueried,
} from '#domain/order/fulfillment';
import type { ProductOrder } from '#domain/order/product-order';
import { MAX_QUERIES_PER_RESOLUTION } from '#domain/order/retry-budget';
import { ctx, startedOrder } from './fixtures.ts';

const FIRST = 'item-1-ACCESS_PROVISION';
const T = Date.parse('2026-11-20T10:00:00.000Z');
const iso = (ms: number) => new Date(T + ms).toISOString();
const expressLimitMs = 300_000;
/** A query of a downstream that never answers takes the whole downstream timeout. */
const queryMs = 8_000;
const stepMs = 200;

/**
 * The unknown-outcome protocol against a downstream that never answers, on a virtual clock, with
 * the workflow's rules: each Express child asks NextStep, queries and waits while its time limit
 * allows, and hands back to the parent, which waits for the next due query and runs a new child.
 */
const simulate = () => {
  let order: ProductOrder = recordTaskOutcomeUnknown(
    recordTaskDispatched(startedOrder(), FIRST, ctx(iso(0))).order,
    FIRST,
    'DownstreamTimeout',
    ctx(iso(1_000)),
  ).order;
  let t = 2_000;
  const children: { startedAt: number; endedAt: number; queries: number }[] = [];
  const queriedAt: number[] = [];
  for (let child = 0; child < 50; child++) {
    const budget: ChildBudget = { startedAt: iso(t), limitMs: expressLimitMs };
    const run = { startedAt: t, endedAt: t, queries: 0 };
    children.push(run);
    let parentWaitSeconds = 0;
    for (;;) {
      t += stepMs;
      const step = nextStep(order, { now: iso(t) });
      if (order.state === 'held' || step.kind !== 'DISPATCH') return { order, children, queriedAt };
      const handBack = handBackBeforeDispatch(order, step.tasks, budget, iso(t), queryMs);
      if (handBack) {
        parentWaitSeconds = handBack.waitSeconds;
        break;
      }
      for (;;) {
        if (!fitsInChild(budget, iso(t), queryMs)) break;
        t += queryMs;
        const { decision, ...change } = recordTaskQueried(order, FIRST, 'NO_ANSWER', undefined, ctx(iso(t)), {
          inFlightWindowMs: 5_000,
        });
        order = change.order;
        queriedAt.push(t);
        run.queries++;
        if (decision.kind !== 'AWAIT_ANSWER') break;
        if (!fitsInChild(budget, iso(t), decision.waitSeconds * 1000 + queryMs)) break;
        t += decision.waitSeconds * 1000;
      }
      t += stepMs;
    }
    run.endedAt = t;
    t += parentWaitSeconds * 1000 + stepMs;
  }
  throw new Error('no end after 50 children');
};

describe('Express child budget: the unknown-outcome protocol across children', () => {
  it('a downstream that never answers: every child ends before Express’s 5 minutes and the order is held after the whole query budget', () => {
    const { order, children, queriedAt } = simulate();
    expect(order.state).toBe('held');
    expect(order.fallout?.reasonCode).toBe('UNKNOWN_OUTCOME_UNRESOLVED');
    expect(queriedAt).toHaveLength(MAX_QUERIES_PER_RESOLUTION);
    expect(children.length).toBeGreaterThan(1);
    for (const c of children) expect(c.endedAt - c.startedAt).toBeLessThan(expressLimitMs);
    // The backoff holds across children: no query comes before the one before it prescribed (1, 2, 4 … 64 s).
    for (let i = 1; i < queriedAt.length; i++) {
      const backoff = Math.min(2 ** Math.min(i - 1, 16), 64) * 1000;
      expect(queriedAt[i]! - queriedAt[i - 1]!, `query ${i + 1}`).toBeGreaterThanOrEqual(backoff);
    }
  });

  it('hands back with nothing to wait for once the child has no room for another query', () => {
    const budget = { startedAt: iso(0), limitMs: expressLimitMs };
    expect(fitsInChild(budget, iso(200_000), queryMs)).toBe(true);
    expect(fitsInChild(budget, iso(265_000), queryMs)).toBe(false);
    const order = startedOrder();
    const ready = nextStep(order, { now: iso(265_000) });
    expect(ready.kind).toBe('DISPATCH');
    if (ready.kind !== 'DISPATCH') return;
    expect(handBackBeforeDispatch(order, ready.tasks, budget, iso(265_000), queryMs)).toEqual({
      kind: 'CONTINUE',
      waitSeconds: 0,
    });
    expect(handBackBeforeDispatch(order, ready.tasks, budget, iso(10_000), queryMs)).toBeUndefined();
  });

  it('starts a dispatch round only when the whole round fits, though a query still would', () => {
    const budget = { startedAt: iso(0), limitMs: expressLimitMs };
    const order = startedOrder();
    const ready = nextStep(order, { now: iso(245_000) });
    if (ready.kind !== 'DISPATCH') throw new Error('expected ready tasks');
    const roundMs = 30_000;
    expect(fitsInChild(budget, iso(245_000), queryMs)).toBe(true);
    expect(handBackBeforeDispatch(order, ready.tasks, budget, iso(245_000), queryMs, roundMs)).toEqual({
      kind: 'CONTINUE',
      waitSeconds: 0,
    });
    expect(
      handBackBeforeDispatch(order, ready.tasks, budget, iso(200_000), queryMs, roundMs),
    ).toBeUndefined();
    // A child too short for a whole round still runs one when it starts: handing back could only spin.
    const short = { startedAt: iso(0), limitMs: roundMs };
    expect(handBackBeforeDispatch(order, ready.tasks, short, iso(1_000), queryMs, roundMs)).toBeUndefined();
  });

  it('the query step asks nothing when its child has no room left for a query, and hands the task back', async () => {
    process.env.PROVISIONING_IN_FLIGHT_WINDOW_MS = '5000';
    const { handler } = await import('#functions/steps/query');
    const answer = await handler(
      {
        orderId: 'po-1',
        correlationId: 'c-1',
        task: { taskId: FIRST, correlationId: 'ful-1', downstream: 'provisioning' } as never,
        // 290 s into the child's 300: less than a query and the reserve are left.
        childStartedAt: new Date(Date.now() - 290_000).toISOString(),
      },
      { functionName: 'fulfillment-query', getRemainingTimeInMillis: () => 10_000 } as unknown as Context,
    );
    expect(answer).toEqual({
      status: 'NOT_ASKED',
      decision: 'SKIPPED',
      pendingChecksLeft: 0,
      handBack: true,
    });
  });
});
