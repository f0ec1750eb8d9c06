import type { Context } from 'aws-lambda';
import { type DownstreamAck, DownstreamUnavailable } from '#adapters/downstream-client';
import { timersOf } from '#adapters/task-timers';
import {
  dispatchRound,
  measureDispatch,
  type RoundInput,
  type RoundOutput,
  sendTask,
} from '#commands/order/dispatch-round';
import { mutateOrder, requireString, StepError, taskPagesIn } from '#commands/order-step';
import { claimDispatch } from '#domain/order/dispatch-claim';
import type { TaskRef } from '#domain/order/fulfillment';
import { recordTaskRetryableFailure } from '#domain/order/fulfillment';
import { acceptTask } from '#domain/order/long-running';
import { findTask } from '#domain/order/order-changes';
import { env } from '#plumbing/env';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/** `task.pages`: where the task is in a large order (NextStep found it); the step reads that page only. */
export type DispatchInput = { orderId: string; correlationId: string; task: TaskRef & { pages?: unknown } };

/** The order's part this step works on: one task's page of a large order (undefined: the whole order). */
const partOf = (input: DispatchInput) => {
  const pages = taskPagesIn(input.task.pages);
  return pages ? { taskId: input.task.taskId, pages } : undefined;
};
/** `accepted`: the downstream took long-running work; the task now waits for its completion notice. */
export type DispatchOutput =
  | DownstreamAck
  | { skipped: true; reason: string }
  | { accepted: true; downstreamRef: string };

type Claim = { send: true } | { send: false; reason: string };

/** Records the dispatch on the order BEFORE the side-effecting call (see `claimDispatch`). */
const claim = (input: DispatchInput) => {
  const decide: Parameters<typeof mutateOrder<Claim>>[3] = (order, ctx) => {
    const decision = claimDispatch(order, input.task.taskId, ctx);
    if ('budgetExhausted' in decision) {
      throw new StepError('RetryBudgetExhausted', `Task ${input.task.taskId} has spent its dispatch budget`);
    }
    if (!decision.send) return { unchanged: decision };
    return { change: decision.change, result: { send: true } };
  };
  return mutateOrder<Claim>(input.orderId, input.correlationId, 'dispatch', decide, partOf(input));
};

/** The downstream refused before doing anything (5xx, unreachable): the task is PENDING again. */
const recordRetryable = (input: DispatchInput, errorCode: string) =>
  mutateOrder(
    input.orderId,
    input.correlationId,
    'dispatch',
    (order, ctx) => {
      const task = findTask(order, input.task.taskId);
      if (task.state !== 'IN_PROGRESS') return { unchanged: undefined };
      return { change: recordTaskRetryableFailure(order, task.id, errorCode, ctx), result: undefined };
    },
    partOf(input),
  );

const recordAccepted = async (input: DispatchInput, downstreamRef: string) => {
  const timers = await timersOf(input.task.type);
  await mutateOrder(
    input.orderId,
    input.correlationId,
    'dispatch',
    (order, ctx) => {
      const change = acceptTask(order, input.task.taskId, downstreamRef, timers, ctx);
      return change.events.length > 0 ? { change, result: undefined } : { unchanged: undefined };
    },
    partOf(input),
  );
};

/** The round's time for sending: all but 10 s kept to claim and record (at most half of the time left). */
const roundBudgetMs = (context: Context) => {
  const left = context.getRemainingTimeInMillis();
  return Math.max(left / 2, left - 10_000);
};

const run = async (
  input: DispatchInput | RoundInput,
  context: Context,
): Promise<DispatchOutput | RoundOutput> => {
  if ('tasks' in input && Array.isArray(input.tasks)) {
    requireString(input.orderId, 'orderId');
    requireString(input.correlationId, 'correlationId');
    logger.appendKeys({ orderId: input.orderId, correlationId: input.correlationId });
    const round = await dispatchRound(input, {
      budgetMs: roundBudgetMs(context),
      downstreamTimeoutMs: env.downstreamTimeoutMs(),
    });
    logger.info('dispatched a round', { sent: round.sent, left: round.left.length });
    return round;
  }
  return dispatchTask(input as DispatchInput);
};

const dispatchTask = async (input: DispatchInput): Promise<DispatchOutput> => {
  const orderId = requireString(input?.orderId, 'orderId');
  const correlationId = requireString(input?.correlationId, 'correlationId');
  const task = input.task;
  requireString(task?.taskId, 'task.taskId');
  logger.appendKeys({ orderId, correlationId, taskId: task.taskId, taskCorrelationId: task.correlationId });
  const claimed = await claim(input);
  if (!claimed.send) {
    logger.info('dispatch skipped', { reason: claimed.reason });
    return { skipped: true, reason: claimed.reason };
  }
  const measure = measureDispatch(task.downstream);
  try {
    const ack = await sendTask(orderId, correlationId, task);
    measure(false);
    logger.info('dispatched', {
      downstream: task.downstream,
      downstreamRef: ack.downstreamRef,
      status: ack.status,
    });
    if (ack.status === 'ACCEPTED') {
      await recordAccepted(input, ack.downstreamRef);
      return { accepted: true, downstreamRef: ack.downstreamRef };
    }
    return ack;
  } catch (error) {
    measure(true);
    const name = (error as Error).name;
    logger.warn('dispatch failed', { downstream: task.downstream, error: name });
    if (error instanceof DownstreamUnavailable) {
      emit('DownstreamRetry', 1);
      await recordRetryable(input, name);
    }
    // DownstreamTimeout / DownstreamRejected: the state machine records UNKNOWN or FALLOUT.
    throw error;
  }
};

export const handler = withObservability(run);
