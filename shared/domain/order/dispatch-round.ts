import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { claimDispatch } from '#domain/order/dispatch-claim';
import { recordTaskRetryableFailure } from '#domain/order/fulfillment';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';
import { recordTaskOutcome } from '#domain/order/task-outcome';

/**
 * A round of ready tasks dispatched by one step: every claim recorded in one write before any
 * request leaves, the requests sent with bounded concurrency toward each downstream, every answer
 * recorded in one write. Two writes of the order per round instead of two per task, and no
 * task's step racing another's for the order's version.
 */

/** What one request of the round came to. */
export type SendResult =
  /** The downstream did the work and said so. */
  | { kind: 'ANSWERED'; taskId: string; evidence: { downstreamRef: string; [key: string]: unknown } }
  /** The downstream took long-running work: the task waits for its completion notice. */
  | { kind: 'ACCEPTED'; taskId: string; downstreamRef: string }
  /** Refused before doing anything (5xx, unreachable): safe to send again. */
  | { kind: 'UNAVAILABLE'; taskId: string; errorCode: string }
  /** Understood and refused: retrying changes nothing. */
  | { kind: 'REJECTED'; taskId: string }
  /** No answer in time (or the call broke after sending): the side effect may exist, query first. */
  | { kind: 'UNKNOWN'; taskId: string; errorName: string };

/**
 * Requests in flight at once toward one downstream system (a real one has a rate limit); the
 * round sends in waves of this many per system.
 */
export const downstreamConcurrency = 4;

/**
 * How many requests one round sends toward one downstream: waves of `downstreamConcurrency`, as
 * many as fit `budgetMs` when every request waits its whole timeout (a slow downstream shrinks
 * the round, it never outlasts the step).
 */
export const roundCapacity = (budgetMs: number, downstreamTimeoutMs: number): number =>
  downstreamConcurrency * Math.max(1, Math.floor(budgetMs / Math.max(1, downstreamTimeoutMs)));

/**
 * Tasks one order write decides: each task's change brings its events (outbox items) and may
 * touch a task page and an item page, and DynamoDB takes at most 100 actions per transaction.
 */
export const tasksPerWrite = 12;

const noChange = (order: ProductOrder): OrderCommandResult => ({ order, events: [] });

const then = (a: OrderCommandResult, b: OrderCommandResult): OrderCommandResult => ({
  order: b.order,
  events: [...a.events, ...b.events],
});

/** A transition the order no longer allows (another run or a repair moved it on) is left out. */
const unlessStale = (change: () => OrderCommandResult, order: ProductOrder): OrderCommandResult => {
  try {
    return change();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'INVALID_STATE_TRANSITION') return noChange(order);
    throw error;
  }
};

export type RoundClaim = {
  change: OrderCommandResult;
  /** Claimed: to be sent now. */
  send: string[];
  /** Spent their dispatch budget: each falls out through the per-task path. */
  exhausted: string[];
};

/** Claims the PENDING tasks among `taskIds`; those another run moved on are skipped. */
export const claimRound = (
  order: ProductOrder,
  taskIds: readonly string[],
  ctx: CommandContext,
): RoundClaim => {
  let change = noChange(order);
  const send: string[] = [];
  const exhausted: string[] = [];
  for (const taskId of taskIds) {
    const claim = claimDispatch(change.order, taskId, ctx);
    if ('budgetExhausted' in claim) exhausted.push(taskId);
    else if (claim.send) {
      change = then(change, claim.change);
      send.push(taskId);
    }
  }
  return { change, send, exhausted };
};

/** Done work first: a refusal that holds the order must not hide what other tasks already did. */
const recordingOrder: Record<SendResult['kind'], number> = {
  ANSWERED: 0,
  ACCEPTED: 1,
  UNKNOWN: 2,
  UNAVAILABLE: 3,
  REJECTED: 4,
};

/**
 * Records what the round's requests came to. `accept` records long-running work (it needs the
 * task type's timers, which the caller reads).
 */
export const recordRound = (
  order: ProductOrder,
  results: readonly SendResult[],
  ctx: CommandContext,
  accept: (order: ProductOrder, taskId: string, downstreamRef: string) => OrderCommandResult,
): OrderCommandResult => {
  const sorted = [...results].sort((a, b) => recordingOrder[a.kind] - recordingOrder[b.kind]);
  let change = noChange(order);
  for (const result of sorted) {
    const current = change.order;
    const outcome = (): OrderCommandResult => {
      switch (result.kind) {
        case 'ACCEPTED':
          return accept(current, result.taskId, result.downstreamRef);
        case 'UNAVAILABLE':
          return recordTaskRetryableFailure(current, result.taskId, result.errorCode, ctx);
        default: {
          const decision = recordTaskOutcome(
            current,
            result.taskId,
            result.kind === 'ANSWERED'
              ? { outcome: 'DONE', source: 'response', evidence: result.evidence }
              : result.kind === 'UNKNOWN'
                ? { outcome: 'UNKNOWN', errorName: result.errorName }
                : { outcome: 'FALLOUT', reasonCode: 'DOWNSTREAM_REJECTED' },
            ctx,
          );
          return 'stale' in decision ? noChange(current) : decision.change;
        }
      }
    };
    change = then(change, unlessStale(outcome, current));
  }
  return change;
};

/** `items` in runs of at most `size`, in order. */
export const inRuns = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
