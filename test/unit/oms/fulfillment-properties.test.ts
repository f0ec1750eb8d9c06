import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '#domain/actor';
import { isDomainError } from '#domain/errors';
import { completeCancellation, requestCancellation } from '#domain/order/cancellation';
import {
  completeOrder,
  nextStep,
  recordFallout,
  recordTaskCompleted,
  recordTaskDispatched,
  recordTaskOutcomeUnknown,
  recordTaskQueried,
  recordTaskRetryableFailure,
} from '#domain/order/fulfillment';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';
import { repairTask } from '#domain/order/repair';
import { at, ctx, frozen, inFlight, ops, plannedPartOf, startedOrder } from './fixtures.ts';

type Outcome = 'COMPLETE' | 'UNKNOWN' | 'RETRYABLE' | 'REJECT';
type Move =
  | { kind: 'STEP'; outcome: Outcome; query: QueryAnswer }
  | { kind: 'CANCEL' }
  | { kind: 'REPAIR'; action: 'RETRY' | 'MARK_COMPLETE' | 'CANCEL'; evidence: boolean }
  | { kind: 'FORCE_COMPLETE' }
  /** A late or duplicated message from a downstream or a retried state machine step. */
  | { kind: 'STRAY'; taskIndex: number; outcome: Outcome | 'DISPATCH' | 'QUERY'; query: QueryAnswer };

type QueryAnswer = 'DONE' | 'NOT_FOUND' | 'PENDING';
const queryAnswer = fc.constantFrom<QueryAnswer>('DONE', 'NOT_FOUND', 'PENDING');

const move: fc.Arbitrary<Move> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('STEP' as const),
      outcome: fc.constantFrom<Outcome>('COMPLETE', 'COMPLETE', 'UNKNOWN', 'RETRYABLE', 'REJECT'),
      query: queryAnswer,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('STRAY' as const),
      taskIndex: fc.nat({ max: 20 }),
      outcome: fc.constantFrom<Outcome | 'DISPATCH' | 'QUERY'>(
        'COMPLETE',
        'UNKNOWN',
        'RETRYABLE',
        'REJECT',
        'DISPATCH',
        'QUERY',
      ),
      query: queryAnswer,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'CANCEL' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('REPAIR' as const),
      action: fc.constantFrom('RETRY' as const, 'MARK_COMPLETE' as const, 'CANCEL' as const),
      evidence: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'FORCE_COMPLETE' as const }) },
);

/** A refused command (DomainError) leaves the order as it was; anything else is a defect. */
const attempt = (order: ProductOrder, command: (o: ProductOrder) => OrderCommandResult): ProductOrder => {
  try {
    return command(frozen(order)).order;
  } catch (e) {
    if (isDomainError(e)) return order;
    throw e;
  }
};

const recordOutcome = (o: ProductOrder, taskId: string, outcome: Outcome, c: CommandContext) => {
  switch (outcome) {
    case 'COMPLETE':
      return recordTaskCompleted(o, taskId, { downstreamRef: 'r', source: 'response' }, c);
    case 'UNKNOWN':
      return recordTaskOutcomeUnknown(o, taskId, 'TIMEOUT', c);
    case 'RETRYABLE':
      return recordTaskRetryableFailure(o, taskId, 'HTTP_503', c);
    case 'REJECT':
      return recordFallout(o, taskId, { reasonCode: 'DOWNSTREAM_REJECTED' }, c);
  }
};

const apply = (order: ProductOrder, m: Move, c: CommandContext): ProductOrder => {
  const opsCtx = { ...c, actor: ops };
  switch (m.kind) {
    case 'CANCEL':
      return attempt(order, (o) =>
        requestCancellation(o, { cancelId: `cx-${c.now}`, cancellationReason: 'r' }, c),
      );
    case 'FORCE_COMPLETE':
      return attempt(order, (o) => completeOrder(o, c));
    case 'STRAY': {
      const taskId = order.tasks[m.taskIndex % Math.max(order.tasks.length, 1)]?.id ?? 'none';
      if (m.outcome === 'DISPATCH') return attempt(order, (o) => recordTaskDispatched(o, taskId, c));
      if (m.outcome === 'QUERY') {
        const evidence = m.query === 'DONE' ? { downstreamRef: 'late' } : undefined;
        return attempt(order, (o) => recordTaskQueried(o, taskId, m.query, evidence, c, inFlight));
      }
      const outcome = m.outcome;
      return attempt(order, (o) => recordOutcome(o, taskId, outcome, c));
    }
    case 'REPAIR': {
      const taskId = order.fallout?.taskId ?? order.tasks[0]?.id ?? 'none';
      const evidence = m.evidence ? { downstreamRef: 'console-ref' } : undefined;
      return attempt(order, (o) =>
        repairTask(
          o,
          taskId,
          { action: m.action, reasonCode: 'OPS', ...(evidence ? { evidence } : {}) },
          opsCtx,
          // The downstream confirms the console reference whenever the operator offers it.
          evidence ? { status: 'DONE', completedRefs: [evidence.downstreamRef] } : undefined,
        ),
      );
    }
    case 'STEP': {
      const step = nextStep(order);
      if (step.kind === 'COMPLETE') return attempt(order, (o) => completeOrder(o, c));
      if (step.kind === 'CANCELLED') return attempt(order, (o) => completeCancellation(o, c));
      if (step.kind !== 'DISPATCH') return order;
      let current = order;
      for (const ref of step.tasks) {
        if (ref.mode === 'QUERY_FIRST') {
          const evidence = m.query === 'DONE' ? { downstreamRef: 'q' } : undefined;
          current = attempt(current, (o) => recordTaskQueried(o, ref.taskId, m.query, evidence, c, inFlight));
          continue;
        }
        current = attempt(current, (o) => recordTaskDispatched(o, ref.taskId, c));
        current = attempt(current, (o) => recordOutcome(o, ref.taskId, m.outcome, c));
      }
      return current;
    }
  }
};

const checkInvariants = (before: ProductOrder, after: ProductOrder, start: ProductOrder) => {
  expect(after.version).toBe(start.version);
  expect(after.plan).toEqual(start.plan);
  for (const task of after.tasks) {
    const planned = start.tasks.find((p) => p.id === task.id);
    if (planned) expect(plannedPartOf(task)).toEqual(plannedPartOf(planned));
    const old = before.tasks.find((t) => t.id === task.id);
    if (!old) continue;
    if (old.state === 'DONE') expect(task.state).toBe('DONE');
    expect(task.attempts).toBeGreaterThanOrEqual(old.attempts);
    expect(task.queries).toBeGreaterThanOrEqual(old.queries);
  }
  expect(after.tasks.length).toBeGreaterThanOrEqual(before.tasks.length);
  expect(after.state === 'held').toBe(after.fallout !== undefined);
  expect(after.repairs.slice(0, before.repairs.length)).toEqual(before.repairs);
  if (after.state === 'completed') {
    expect(after.tasks.every((t) => t.state === 'DONE')).toBe(true);
    expect(after.tasks.find((t) => t.type === 'BILLING_HANDOFF')?.state).toBe('DONE');
  }
  if (after.state === 'cancelled') {
    expect(after.tasks.find((t) => t.type === 'BILLING_HANDOFF')?.attempts).toBe(0);
    for (const task of after.tasks.filter((t) => t.compensationOf === undefined && t.state === 'DONE')) {
      expect(after.tasks.find((t) => t.compensationOf === task.id)?.state).toBe('DONE');
    }
  }
  if (before.state === 'completed' || before.state === 'cancelled') expect(after.state).toBe(before.state);
};

describe('fulfillment invariants under any sequence of recorded outcomes', () => {
  it('never completes early, never un-completes a task, never loses attempts', () => {
    fc.assert(
      fc.property(fc.array(move, { minLength: 1, maxLength: 60 }), (moves) => {
        const start = startedOrder();
        let order = start;
        moves.forEach((m, i) => {
          const next = apply(order, m, ctx(at(10 + i)));
          checkInvariants(order, next, start);
          order = next;
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reaches completed when every outcome is a success', () => {
    let order = startedOrder();
    for (let i = 0; i < 10; i++)
      order = apply(order, { kind: 'STEP', outcome: 'COMPLETE', query: 'DONE' }, ctx(at(i)));
    expect(order.state).toBe('completed');
  });
});
