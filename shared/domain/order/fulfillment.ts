import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { compensationTaskId } from '#domain/order/compensation';
import { decomposeOrder } from '#domain/order/decomposition';
import {
  type DownstreamEvidence,
  type FulfillmentTask,
  newExecution,
  ownerTeamOf,
  type QueryResult,
  type TaskEvidence,
} from '#domain/order/fulfillment-task';
import { isFulfilled, isWithdrawnTask } from '#domain/order/live-items';
import {
  assertOrderState,
  findTask,
  hold,
  invalidTaskState,
  release,
  withTask,
} from '#domain/order/order-changes';
import { changeEvents, planCreated } from '#domain/order/order-events';
import {
  DECOMPOSITION_STEP,
  type FalloutReasonCode,
  type OrderCommandResult,
  type OwnerTeam,
  type ProductOrder,
} from '#domain/order/product-order';
import { dispatchBudgetLeft } from '#domain/order/retry-budget';
import { decideAfterQuery, type InFlightWindow, type QueryDecision } from '#domain/order/unknown-outcome';

export { type NextStep, nextStep, type TaskRef } from '#domain/order/next-step';

const result = (before: ProductOrder, after: ProductOrder): OrderCommandResult => ({
  order: after,
  events: changeEvents(before, after),
});

const unchanged = (order: ProductOrder): OrderCommandResult => ({ order, events: [] });

/** Commands that record task outcomes work while the order is being fulfilled, cancelled or held. */
const RECORDING_STATES = ['inProgress', 'pendingCancellation', 'held'] as const;

const nextActionFor = (reasonCode: FalloutReasonCode): string => {
  switch (reasonCode) {
    case 'UNKNOWN_OUTCOME_UNRESOLVED':
      return 'Query the downstream by correlation id; MARK_COMPLETE with evidence or RETRY after the query';
    case 'RETRY_BUDGET_EXHAUSTED':
      return 'Check downstream health, then RETRY';
    default:
      return 'Investigate the downstream answer, correct and RETRY, or CANCEL the order';
  }
};

export const startFulfillment = (order: ProductOrder, ctx: CommandContext): OrderCommandResult => {
  if (order.state !== 'acknowledged' || order.plan) return unchanged(order);
  const decomposition = decomposeOrder(order);
  if (!decomposition.ok) {
    const held = hold(
      order,
      {
        reasonCode: 'DECOMPOSITION_FAILED',
        ownerTeam: 'order-ops',
        nextAction: 'Publish a decomposition rule for the offering, then RETRY; or CANCEL the order',
        taskId: DECOMPOSITION_STEP,
        detail: { ruleVersion: decomposition.ruleVersion, ...decomposition.failure },
      },
      ctx.now,
    );
    return result(order, held);
  }
  const started: ProductOrder = {
    ...order,
    state: 'inProgress',
    updatedAt: ctx.now,
    plan: {
      ruleVersion: decomposition.ruleVersion,
      plannedAt: ctx.now,
      taskIds: decomposition.tasks.map((t) => t.id),
    },
    tasks: decomposition.tasks.map((t) => ({ ...t, ...newExecution() })),
  };
  const { events } = result(order, started);
  return { order: started, events: [planCreated(started), ...events] };
};

export const recordTaskDispatched = (
  order: ProductOrder,
  taskId: string,
  ctx: CommandContext,
): OrderCommandResult => {
  assertOrderState(order, ['inProgress', 'pendingCancellation'], 'dispatch a task of');
  const task = findTask(order, taskId);
  if (task.state !== 'PENDING') throw invalidTaskState(task, 'dispatch');
  return result(
    order,
    withTask(
      order,
      taskId,
      { state: 'IN_PROGRESS', attempts: task.attempts + 1, dispatchedAt: ctx.now },
      ctx.now,
    ),
  );
};

/** Resolving the task that caused the fallout ends the hold: the order is more truthful now. */
const releaseIfResolved = (order: ProductOrder, taskId: string, resolution: string, now: string) =>
  order.state === 'held' && order.fallout?.taskId === taskId ? release(order, resolution, now) : order;

const complete = (order: ProductOrder, task: FulfillmentTask, evidence: TaskEvidence, now: string) =>
  releaseIfResolved(
    withTask(order, task.id, { state: 'DONE', evidence: { ...evidence }, completedAt: now }, now),
    task.id,
    `completed (${evidence.source})`,
    now,
  );

export const recordTaskCompleted = (
  order: ProductOrder,
  taskId: string,
  evidence: TaskEvidence,
  ctx: CommandContext,
): OrderCommandResult => {
  assertOrderState(order, RECORDING_STATES, 'complete a task of');
  const task = findTask(order, taskId);
  if (task.state === 'DONE') return unchanged(order);
  if (task.state !== 'IN_PROGRESS' && task.state !== 'UNKNOWN') throw invalidTaskState(task, 'complete');
  if (!evidence.downstreamRef) {
    throw new DomainError('EVIDENCE_REQUIRED', 'Completion needs the downstream reference', { taskId });
  }
  return result(order, complete(order, task, evidence, ctx.now));
};

export const recordTaskOutcomeUnknown = (
  order: ProductOrder,
  taskId: string,
  reason: string,
  ctx: CommandContext,
): OrderCommandResult => {
  assertOrderState(order, RECORDING_STATES, 'record an unknown outcome on');
  const task = findTask(order, taskId);
  if (task.state === 'UNKNOWN') return unchanged(order);
  if (task.state !== 'IN_PROGRESS') throw invalidTaskState(task, 'record an unknown outcome for');
  return result(
    order,
    withTask(
      order,
      taskId,
      { state: 'UNKNOWN', unknownSince: ctx.now, outcomeUnknownAt: ctx.now, lastErrorCode: reason },
      ctx.now,
    ),
  );
};

/**
 * The downstream proved nothing happened: during cancellation, or for work a revision withdrew,
 * the task and its undo are moot.
 */
const resolveWithoutSideEffect = (
  order: ProductOrder,
  task: FulfillmentTask,
  errorCode: string,
  ctx: CommandContext,
): ProductOrder => {
  const base = { lastErrorCode: errorCode };
  const moot = order.state === 'pendingCancellation' || isWithdrawnTask(order, task);
  if (moot && task.compensationOf === undefined) {
    const cancelled = withTask(order, task.id, { ...base, state: 'CANCELLED' }, ctx.now);
    const undo = compensationTaskId(task.id);
    // An undo already done (e.g. confirmed by an ops repair) stays done: a task never un-completes.
    return cancelled.tasks.some((t) => t.id === undo && t.state !== 'DONE')
      ? withTask(cancelled, undo, { state: 'CANCELLED' }, ctx.now)
      : cancelled;
  }
  if (order.state === 'held') return withTask(order, task.id, { ...base, state: 'FAILED' }, ctx.now);
  if (dispatchBudgetLeft(task)) return withTask(order, task.id, { ...base, state: 'PENDING' }, ctx.now);
  return hold(
    withTask(order, task.id, { ...base, state: 'FAILED' }, ctx.now),
    {
      reasonCode: 'RETRY_BUDGET_EXHAUSTED',
      ownerTeam: task.ownerTeam,
      nextAction: nextActionFor('RETRY_BUDGET_EXHAUSTED'),
      taskId: task.id,
      detail: { attempts: task.attempts, lastErrorCode: errorCode },
    },
    ctx.now,
  );
};

/** A failure known to have happened before any side effect (e.g. the downstream refused with 503). */
export const recordTaskRetryableFailure = (
  order: ProductOrder,
  taskId: string,
  errorCode: string,
  ctx: CommandContext,
): OrderCommandResult => {
  assertOrderState(order, ['inProgress', 'pendingCancellation'], 'record a failure on');
  const task = findTask(order, taskId);
  if (task.state !== 'IN_PROGRESS') throw invalidTaskState(task, 'record a retryable failure for');
  return result(order, resolveWithoutSideEffect(order, task, errorCode, ctx));
};

export type QueriedResult = OrderCommandResult & { decision: QueryDecision };

const holdUnresolved = (
  order: ProductOrder,
  task: FulfillmentTask,
  reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' | 'RETRY_BUDGET_EXHAUSTED',
  detail: Record<string, unknown>,
  now: string,
): ProductOrder =>
  order.state === 'held'
    ? order
    : hold(
        order,
        {
          reasonCode,
          ownerTeam: task.ownerTeam,
          nextAction: nextActionFor(reasonCode),
          taskId: task.id,
          detail,
        },
        now,
      );

/**
 * Records the downstream's answer to a query by correlation id and what it allows
 * (`decideAfterQuery`): done, send again, ask again later, or hold for repair.
 */
export const recordTaskQueried = (
  order: ProductOrder,
  taskId: string,
  queryResult: QueryResult,
  evidence: DownstreamEvidence | undefined,
  ctx: CommandContext,
  window: InFlightWindow,
  /** When the question left us: a NOT_FOUND proves only what the downstream held by then, not by the answer's arrival. */
  askedAt: string = ctx.now,
): QueriedResult => {
  assertOrderState(order, RECORDING_STATES, 'record a query on');
  const task = findTask(order, taskId);
  if (task.state !== 'UNKNOWN' && task.state !== 'IN_PROGRESS') throw invalidTaskState(task, 'query');
  const decision = decideAfterQuery(task, queryResult, askedAt, window);
  if (decision.kind === 'DONE' && !evidence?.downstreamRef) {
    throw new DomainError('EVIDENCE_REQUIRED', 'A DONE query answer needs the downstream reference', {
      taskId,
    });
  }
  const queried = withTask(
    order,
    taskId,
    {
      queries: task.queries + 1,
      lastQueriedAt: ctx.now,
      lastQueryResult: queryResult,
      unknownSince: (task.state === 'UNKNOWN' ? task.unknownSince : task.dispatchedAt) ?? ctx.now,
    },
    ctx.now,
  );
  const current = findTask(queried, taskId);
  const decided = (after: ProductOrder): QueriedResult => ({ ...result(order, after), decision });
  switch (decision.kind) {
    case 'DONE':
      return decided(complete(queried, current, { ...evidence!, source: 'query' }, ctx.now));
    case 'RESEND':
      // Proven not done. Same correlation id on the next dispatch: a downstream that honours it deduplicates.
      return decided(resolveWithoutSideEffect(queried, current, 'NOT_FOUND_AFTER_WINDOW', ctx));
    case 'AWAIT_WINDOW':
    case 'AWAIT_ANSWER':
    case 'AWAIT_PENDING':
      return decided(withTask(queried, taskId, { state: 'UNKNOWN' }, ctx.now));
    case 'HOLD': {
      if (decision.reasonCode === 'RETRY_BUDGET_EXHAUSTED') {
        // Proven not done, but no dispatch left: failed (or moot during cancellation), held for repair.
        return decided(resolveWithoutSideEffect(queried, current, 'NOT_FOUND_AFTER_WINDOW', ctx));
      }
      const waiting = withTask(queried, taskId, { state: 'UNKNOWN' }, ctx.now);
      const detail = { queries: current.queries, attempts: current.attempts, lastQueryResult: queryResult };
      return decided(holdUnresolved(waiting, current, decision.reasonCode, detail, ctx.now));
    }
  }
};

export type FalloutInput = { reasonCode: FalloutReasonCode; ownerTeam?: OwnerTeam; nextAction?: string };

export const recordFallout = (
  order: ProductOrder,
  taskId: string,
  fallout: FalloutInput,
  ctx: CommandContext,
): OrderCommandResult => {
  assertOrderState(order, ['inProgress', 'pendingCancellation', 'held'], 'record fallout on');
  const task = findTask(order, taskId);
  if (task.state === 'DONE' || task.state === 'CANCELLED') throw invalidTaskState(task, 'fall out');
  if (order.state === 'held') {
    if (order.fallout?.taskId === taskId && order.fallout.reasonCode === fallout.reasonCode)
      return unchanged(order);
    throw new DomainError('INVALID_STATE_TRANSITION', 'The order is already held', {
      orderId: order.id,
      fallout: order.fallout,
    });
  }
  // A downstream that refused work a revision withdrew did nothing: the work and its undo are moot.
  if (
    fallout.reasonCode === 'DOWNSTREAM_REJECTED' &&
    task.state !== 'UNKNOWN' &&
    task.compensationOf === undefined &&
    isWithdrawnTask(order, task)
  ) {
    return result(order, resolveWithoutSideEffect(order, task, fallout.reasonCode, ctx));
  }
  // An unknown outcome stays unknown: falling out does not prove that nothing happened.
  const failed =
    task.state === 'UNKNOWN'
      ? order
      : withTask(order, taskId, { state: 'FAILED', lastErrorCode: fallout.reasonCode }, ctx.now);
  const reasonCode =
    order.state === 'pendingCancellation' && task.compensationOf ? 'COMPENSATION_FAILED' : fallout.reasonCode;
  return result(
    order,
    hold(
      failed,
      {
        reasonCode,
        ownerTeam: fallout.ownerTeam ?? ownerTeamOf(task.downstream),
        nextAction: fallout.nextAction ?? nextActionFor(reasonCode),
        taskId,
      },
      ctx.now,
    ),
  );
};

/** Completion needs every planned task done, every part of the billing handoff acknowledged included. */
export const completeOrder = (order: ProductOrder, ctx: CommandContext): OrderCommandResult => {
  if (order.state === 'completed') return unchanged(order);
  assertOrderState(order, ['inProgress'], 'complete');
  const billing = order.tasks.filter((t) => t.type === 'BILLING_HANDOFF' && t.compensationOf === undefined);
  if (!isFulfilled(order) || billing.length === 0 || billing.some((t) => t.state !== 'DONE')) {
    throw new DomainError('INVALID_STATE_TRANSITION', 'Open fulfillment tasks remain', {
      orderId: order.id,
      open: order.tasks.filter((t) => t.state !== 'DONE' && t.state !== 'CANCELLED').map((t) => t.id),
    });
  }
  return result(order, { ...order, state: 'completed', completionDate: ctx.now, updatedAt: ctx.now });
};
