import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nextStep,
  recordTaskDispatched,
  recordTaskOutcomeUnknown,
  recordTaskQueried,
} from '#domain/order/fulfillment';
import type { FulfillmentTask, QueryResult } from '#domain/order/fulfillment-task';
import type { ProductOrder } from '#domain/order/product-order';
import {
  IN_FLIGHT_TIMEOUT_MS,
  MAX_DISPATCH_ATTEMPTS,
  MAX_PENDING_QUERIES,
  MAX_QUERIES_PER_RESOLUTION,
} from '#domain/order/retry-budget';
import { decideAfterQuery, sentNoLaterThan } from '#domain/order/unknown-outcome';
import { ctx, startedOrder } from './fixtures.ts';

const FIRST = 'item-1-ACCESS_PROVISION';
const T = Date.parse('2026-11-20T10:00:00.000Z');
const iso = (ms: number) => new Date(T + ms).toISOString();
const taskOf = (order: ProductOrder) => order.tasks.find((t) => t.id === FIRST)!;
const window = (ms: number) => ({ inFlightWindowMs: ms });

/** A task dispatched at `dispatchedMs` whose dispatch gave up (timeout) at `gaveUpMs`. */
const timedOut = (dispatchedMs: number, gaveUpMs: number): ProductOrder => {
  const dispatched = recordTaskDispatched(startedOrder(), FIRST, ctx(iso(dispatchedMs))).order;
  return recordTaskOutcomeUnknown(dispatched, FIRST, 'DownstreamTimeout', ctx(iso(gaveUpMs))).order;
};

const task = (overrides: Partial<FulfillmentTask> = {}): FulfillmentTask => ({
  ...taskOf(timedOut(0, 1000)),
  ...overrides,
});

describe('sentNoLaterThan: the latest moment the last request can have left us', () => {
  it('is when the dispatch gave up waiting, if it did so after sending', () => {
    expect(sentNoLaterThan(task())).toBe(T + 1000);
  });

  it('is the in-flight timeout after the dispatch when the dispatch never reported back', () => {
    const silent = taskOf(recordTaskDispatched(startedOrder(), FIRST, ctx(iso(0))).order);
    expect(sentNoLaterThan(silent)).toBe(T + IN_FLIGHT_TIMEOUT_MS);
  });

  it('ignores a give-up recorded for an earlier dispatch', () => {
    expect(sentNoLaterThan(task({ dispatchedAt: iso(5000), outcomeUnknownAt: iso(1000) }))).toBe(
      T + 5000 + IN_FLIGHT_TIMEOUT_MS,
    );
  });

  it('is undefined for a task never sent', () => {
    expect(sentNoLaterThan(taskOf(startedOrder()))).toBeUndefined();
  });
});

describe('decideAfterQuery', () => {
  it('DONE is done, whatever the window', () => {
    expect(decideAfterQuery(task(), 'DONE', iso(1100), window(60_000))).toEqual({ kind: 'DONE' });
  });

  it('NOT_FOUND right after the timeout proves nothing: ask again, never re-send', () => {
    const decision = decideAfterQuery(task(), 'NOT_FOUND', iso(1100), window(5000));
    expect(decision).toEqual({ kind: 'AWAIT_WINDOW', waitSeconds: 1, provenFrom: iso(6000) });
  });

  it('backs off exponentially while the window runs, never past the moment it ends', () => {
    const waits = [0, 1, 2, 3, 4].map((queries) => {
      const d = decideAfterQuery(task({ queries }), 'NOT_FOUND', iso(1100), window(120_000));
      return d.kind === 'AWAIT_WINDOW' ? d.waitSeconds : d.kind;
    });
    expect(waits).toEqual([1, 2, 4, 8, 16]);
    const nearEnd = decideAfterQuery(task({ queries: 6 }), 'NOT_FOUND', iso(118_500), window(120_000));
    expect(nearEnd).toMatchObject({ kind: 'AWAIT_WINDOW', waitSeconds: 3 });
  });

  it('NOT_FOUND once the window has passed since the request left is proof: re-send', () => {
    expect(decideAfterQuery(task(), 'NOT_FOUND', iso(6000), window(5000))).toEqual({ kind: 'RESEND' });
  });

  it('proven not done with the dispatch budget spent → hold RETRY_BUDGET_EXHAUSTED', () => {
    const spent = task({ attempts: MAX_DISPATCH_ATTEMPTS });
    expect(decideAfterQuery(spent, 'NOT_FOUND', iso(6000), window(5000))).toEqual({
      kind: 'HOLD',
      reasonCode: 'RETRY_BUDGET_EXHAUSTED',
    });
  });

  it('too many answers without proof → hold UNKNOWN_OUTCOME_UNRESOLVED', () => {
    const asked = task({ queries: MAX_QUERIES_PER_RESOLUTION - 1 });
    expect(decideAfterQuery(asked, 'NOT_FOUND', iso(1100), window(600_000))).toEqual({
      kind: 'HOLD',
      reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED',
    });
  });

  it('PENDING is waited for within the query budget, then held as unresolved', () => {
    expect(decideAfterQuery(task(), 'PENDING', iso(1100), window(0))).toEqual({ kind: 'AWAIT_PENDING' });
    expect(
      decideAfterQuery(task({ queries: MAX_PENDING_QUERIES - 1 }), 'PENDING', iso(1100), window(0)),
    ).toEqual({ kind: 'HOLD', reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' });
  });

  it('a query that got no answer proves nothing: ask again with backoff, then hold as unresolved', () => {
    const waits = [0, 1, 2, 6, 10].map((queries) =>
      decideAfterQuery(task({ queries }), 'NO_ANSWER', iso(1e9), window(0)),
    );
    expect(waits).toEqual([1, 2, 4, 64, 64].map((waitSeconds) => ({ kind: 'AWAIT_ANSWER', waitSeconds })));
    expect(
      decideAfterQuery(task({ queries: MAX_QUERIES_PER_RESOLUTION - 1 }), 'NO_ANSWER', iso(1e9), window(0)),
    ).toEqual({ kind: 'HOLD', reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' });
  });

  it('a window that is not a sane number never allows a re-send', () => {
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      expect(decideAfterQuery(task(), 'NOT_FOUND', iso(10_000_000), window(bad)).kind).toBe('HOLD');
    }
  });

  it('the repair budget reset counts window queries afresh', () => {
    const repaired = task({ queries: 30, budgetFrom: { attempts: 1, queries: 30 } });
    expect(decideAfterQuery(repaired, 'NOT_FOUND', iso(1100), window(5000)).kind).toBe('AWAIT_WINDOW');
  });
});

describe('late commit under any latency (property)', () => {
  /**
   * A downstream that records the request at `commitMs` (within its window after the request left,
   * or never) answers NOT_FOUND before that and DONE after; some queries get no answer at all.
   * Following the domain's decisions and waits, the task is re-sent only if the downstream never
   * recorded it, and is never left waiting.
   */
  it('never re-sends what the downstream will still record; re-sends what it never will', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        (dispatchedMs, timeoutMs, windowMs, commitAt, firstQueryDelayMs, lostAnswers) => {
          const gaveUp = dispatchedMs + timeoutMs;
          // The request left somewhere between dispatch and the give-up; it commits within the window.
          const commitMs =
            commitAt === undefined ? undefined : dispatchedMs + commitAt * (timeoutMs + windowMs);
          let order = timedOut(dispatchedMs, gaveUp);
          let now = gaveUp + firstQueryDelayMs;
          for (let round = 0; round < 100; round++) {
            const lost = lostAnswers[round] === true;
            const answer: QueryResult = lost
              ? 'NO_ANSWER'
              : commitMs !== undefined && now >= commitMs
                ? 'DONE'
                : 'NOT_FOUND';
            const evidence = answer === 'DONE' ? { downstreamRef: 'act-1' } : undefined;
            const { order: after, decision } = recordTaskQueried(
              order,
              FIRST,
              answer,
              evidence,
              ctx(iso(now)),
              window(windowMs),
            );
            if (decision.kind === 'RESEND') {
              expect(commitMs).toBeUndefined();
              expect(now).toBeGreaterThanOrEqual(gaveUp + windowMs);
              expect(taskOf(after).state).toBe('PENDING');
              return;
            }
            if (decision.kind === 'DONE') {
              expect(commitMs).toBeDefined();
              expect(taskOf(after).state).toBe('DONE');
              return;
            }
            expect(decision.kind).toBe(lost ? 'AWAIT_ANSWER' : 'AWAIT_WINDOW');
            if (decision.kind !== 'AWAIT_WINDOW' && decision.kind !== 'AWAIT_ANSWER') return;
            expect(decision.waitSeconds).toBeGreaterThanOrEqual(1);
            expect(taskOf(after).state).toBe('UNKNOWN');
            expect(nextStep(after, { now: iso(now) })).toMatchObject({ tasks: [{ mode: 'QUERY_FIRST' }] });
            order = after;
            now += decision.waitSeconds * 1000;
          }
          throw new Error('the window never resolved');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('recordTaskQueried with the window', () => {
  it('keeps the task unknown and the order in progress on an early NOT_FOUND', () => {
    const { order, decision } = recordTaskQueried(
      timedOut(0, 1000),
      FIRST,
      'NOT_FOUND',
      undefined,
      ctx(iso(1200)),
      window(5000),
    );
    expect(decision.kind).toBe('AWAIT_WINDOW');
    expect(order.state).toBe('inProgress');
    expect(taskOf(order)).toMatchObject({ state: 'UNKNOWN', queries: 1, lastQueryResult: 'NOT_FOUND' });
  });

  it('judges a NOT_FOUND by when it was asked: a slow answer arriving past the window proves nothing', () => {
    // Asked 5.5 s after the give-up (inside the 6 s window), answered 8 s after: the request may still land.
    const { order, decision } = recordTaskQueried(
      timedOut(0, 1000),
      FIRST,
      'NOT_FOUND',
      undefined,
      ctx(iso(9000)),
      window(6000),
      iso(6500),
    );
    expect(decision.kind).toBe('AWAIT_WINDOW');
    expect(taskOf(order)).toMatchObject({ state: 'UNKNOWN', attempts: 1 });
  });

  it('holds the order with the reason the decision gives, owned by the downstream team', () => {
    const spent: ProductOrder = {
      ...timedOut(0, 1000),
      tasks: timedOut(0, 1000).tasks.map((t) =>
        t.id === FIRST ? { ...t, attempts: MAX_DISPATCH_ATTEMPTS } : t,
      ),
    };
    const { order } = recordTaskQueried(spent, FIRST, 'NOT_FOUND', undefined, ctx(iso(7000)), window(5000));
    expect(order.state).toBe('held');
    expect(order.fallout).toMatchObject({
      reasonCode: 'RETRY_BUDGET_EXHAUSTED',
      taskId: FIRST,
      ownerTeam: 'network-ops',
    });
    expect(taskOf(order).state).toBe('FAILED');
  });
});
