import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  claimRound,
  downstreamConcurrency,
  inRuns,
  recordRound,
  roundCapacity,
  type SendResult,
} from '#domain/order/dispatch-round';
import { nextStep } from '#domain/order/next-step';
import type { ProductOrder } from '#domain/order/product-order';
import { MAX_DISPATCH_ATTEMPTS } from '#domain/order/retry-budget';
import { at, ctx, startedOrder } from './fixtures.ts';

const stateOf = (order: ProductOrder, taskId: string) => order.tasks.find((t) => t.id === taskId)?.state;
const noAccept = (): never => {
  throw new Error('no long-running work in this round');
};

describe('a dispatch round', () => {
  // Every task ready at once, as a wide order's first round is.
  const started = startedOrder();
  const order: ProductOrder = { ...started, tasks: started.tasks.map((t) => ({ ...t, dependsOn: [] })) };
  const ready = (nextStep(order, { now: at(1) }) as { tasks: { taskId: string }[] }).tasks.map(
    (t) => t.taskId,
  );
  const claimed = claimRound(order, ready, ctx(at(1)));

  it('claims every ready task in one change before anything is sent', () => {
    expect(ready.length).toBeGreaterThanOrEqual(3);
    expect(claimed.send).toEqual(ready);
    for (const id of ready) expect(stateOf(claimed.change.order, id)).toBe('IN_PROGRESS');
    expect(claimed.change.events.length).toBeGreaterThanOrEqual(ready.length);
  });

  it('stands aside for tasks another run moved on, and leaves spent budgets to the per-task fallout', () => {
    const [first, second] = ready;
    const moved: ProductOrder = {
      ...order,
      tasks: order.tasks.map((t) =>
        t.id === first
          ? { ...t, state: 'IN_PROGRESS' }
          : t.id === second
            ? { ...t, attempts: MAX_DISPATCH_ATTEMPTS }
            : t,
      ),
    };
    const again = claimRound(moved, ready, ctx(at(1)));
    expect(again.send).not.toContain(first);
    expect(again.exhausted).toEqual([second]);
  });

  it('records each answer as the per-task steps would: done, unknown (queried next), pending again, refused', () => {
    const [a, b, c] = ready as [string, string, string];
    const results: SendResult[] = [
      { kind: 'ANSWERED', taskId: a, evidence: { downstreamRef: 'ref-a', status: 'COMPLETED' } },
      { kind: 'UNKNOWN', taskId: b, errorName: 'DownstreamTimeout' },
      { kind: 'UNAVAILABLE', taskId: c, errorCode: 'DownstreamUnavailable' },
    ];
    const recorded = recordRound(claimed.change.order, results, ctx(at(2)), noAccept).order;
    expect(stateOf(recorded, a)).toBe('DONE');
    expect(stateOf(recorded, b)).toBe('UNKNOWN');
    expect(stateOf(recorded, c)).toBe('PENDING');
  });

  it('a refusal holds the order, and the work other tasks already did is recorded first', () => {
    const [a, b] = ready as [string, string];
    const results: SendResult[] = [
      { kind: 'REJECTED', taskId: a },
      { kind: 'ANSWERED', taskId: b, evidence: { downstreamRef: 'ref-b', status: 'COMPLETED' } },
    ];
    const recorded = recordRound(claimed.change.order, results, ctx(at(2)), noAccept).order;
    expect(recorded.state).toBe('held');
    expect(recorded.fallout?.reasonCode).toBe('DOWNSTREAM_REJECTED');
    expect(stateOf(recorded, b)).toBe('DONE');
  });

  it('an answer for a task no longer in flight changes nothing', () => {
    const done = recordRound(
      order,
      [{ kind: 'UNKNOWN', taskId: ready[0]!, errorName: 'x' }],
      ctx(at(2)),
      noAccept,
    );
    expect(done.events).toEqual([]);
  });
});

describe('runs of a round', () => {
  it('keep every item once, in order, none longer than asked', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 40 }), (items, size) => {
        const runs = inRuns(items, size);
        expect(runs.flat()).toEqual(items);
        expect(runs.every((r) => r.length > 0 && r.length <= size)).toBe(true);
      }),
    );
  });
});

describe('what a round sends toward one downstream', () => {
  it('whole waves that fit the time when every request waits its full timeout, at least one wave', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 1, max: 30_000 }),
        (budget, timeout) => {
          const capacity = roundCapacity(budget, timeout);
          expect(capacity % downstreamConcurrency).toBe(0);
          const waves = capacity / downstreamConcurrency;
          expect(waves).toBeGreaterThanOrEqual(1);
          if (waves > 1) expect(waves * timeout).toBeLessThanOrEqual(budget);
        },
      ),
    );
    // As deployed (8 s timeout, 20 s of a 30 s step) and on the local stack (1 s).
    expect(roundCapacity(20_000, 8_000)).toBe(8);
    expect(roundCapacity(15_000, 1_000)).toBe(60);
  });
});
