import { DownstreamTimeout, DownstreamUnavailable, queryDownstream } from '#adapters/downstream-client';
import { timersOf } from '#adapters/task-timers';
import { mutateOrder, requireString } from '#commands/order-step';
import { type ChildBudget, fitsInChild } from '#domain/order/child-budget';
import type { TaskRef } from '#domain/order/fulfillment';
import { recordTaskQueried } from '#domain/order/fulfillment';
import { acceptTask, awaitsCompletion, recordAwaitedQuery } from '#domain/order/long-running';
import { findTask } from '#domain/order/order-changes';
import { MAX_PENDING_QUERIES } from '#domain/order/retry-budget';
import { PENDING_RECHECK_SECONDS, type QueryDecision } from '#domain/order/unknown-outcome';
import { env } from '#plumbing/env';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/** `childStartedAt`: the start of the Express child run asking (its time limit bounds the protocol's steps). */
export type QueryInput = { orderId: string; correlationId: string; task: TaskRef; childStartedAt?: string };
export type QueryOutput = {
  /**
   * What the downstream answered; SKIPPED: the task is no longer in doubt (another run or a
   * repair resolved it); NOT_ASKED: no time left in this child for a query.
   */
  status: 'DONE' | 'PENDING' | 'NOT_FOUND' | 'NO_ANSWER' | 'SKIPPED' | 'NOT_ASKED';
  /** What the domain allows after that answer; the state machine routes on it. */
  decision: QueryDecision['kind'] | 'SKIPPED' | 'AWAIT_COMPLETION';
  /** AWAIT_WINDOW, AWAIT_ANSWER: seconds until the next query (the Wait state's SecondsPath). */
  waitSeconds?: number;
  reasonCode?: string;
  downstreamRef?: string;
  count?: number;
  pendingChecksLeft: number;
  /** The child hands the task back to its parent: the next query (or its wait) does not fit its time limit. */
  handBack?: true;
};

/** Seconds the workflow waits after a decision before asking again (the Wait states). */
const waitAfter = (result: QueryOutput): number | undefined =>
  result.waitSeconds ??
  (result.decision === 'AWAIT_PENDING'
    ? result.pendingChecksLeft >= 3
      ? PENDING_RECHECK_SECONDS
      : 60
    : undefined);

/** A query that times out or is refused is no answer: the domain backs off and asks again. */
const askDownstream = async (task: TaskRef) => {
  try {
    return await queryDownstream(task.downstream, task.correlationId);
  } catch (error) {
    if (error instanceof DownstreamTimeout || error instanceof DownstreamUnavailable) {
      logger.warn('query got no answer', { downstream: task.downstream, error: error.name });
      return { status: 'NO_ANSWER' } as const;
    }
    throw error;
  }
};

const run = async (input: QueryInput): Promise<QueryOutput> => {
  const orderId = requireString(input?.orderId, 'orderId');
  const correlationId = requireString(input?.correlationId, 'correlationId');
  const task = input.task;
  requireString(task?.taskId, 'task.taskId');
  logger.appendKeys({ orderId, correlationId, taskId: task.taskId, taskCorrelationId: task.correlationId });
  const window = { inFlightWindowMs: env.downstreamInFlightWindowMs(task.downstream) };
  const budget: ChildBudget | undefined =
    typeof input.childStartedAt === 'string'
      ? { startedAt: input.childStartedAt, limitMs: env.expressChildLimitMs() }
      : undefined;
  const queryMs = env.downstreamTimeoutMs();
  if (budget && !fitsInChild(budget, new Date().toISOString(), queryMs)) {
    return { status: 'NOT_ASKED', decision: 'SKIPPED', pendingChecksLeft: 0, handBack: true };
  }
  const askedAt = new Date().toISOString();
  const answer = await askDownstream(task);
  const downstreamRef = 'downstreamRef' in answer ? answer.downstreamRef : undefined;
  // The downstream has the work and runs it: known, merely unfinished; it waits like an accepted dispatch.
  const timers = answer.status === 'PENDING' ? await timersOf(task.type) : undefined;
  const result = await mutateOrder<QueryOutput>(orderId, correlationId, 'query', (order, ctx) => {
    const current = findTask(order, task.taskId);
    if (current.state !== 'UNKNOWN' && current.state !== 'IN_PROGRESS') {
      return { unchanged: { status: 'SKIPPED', decision: 'SKIPPED', pendingChecksLeft: 0 } };
    }
    if (!awaitsCompletion(current) && answer.status === 'PENDING' && timers && downstreamRef) {
      const change = acceptTask(order, task.taskId, downstreamRef, timers, ctx);
      return {
        change,
        result: { status: answer.status, decision: 'AWAIT_COMPLETION', downstreamRef, pendingChecksLeft: 0 },
      };
    }
    if (awaitsCompletion(current) && (answer.status === 'PENDING' || answer.status === 'NO_ANSWER')) {
      // Accepted long-running work: still running (or no answer) is no unknown outcome; the wait goes on.
      const change = recordAwaitedQuery(order, task.taskId, answer.status, ctx.now);
      return {
        change,
        result: { status: answer.status, decision: 'AWAIT_COMPLETION', pendingChecksLeft: 0 },
      };
    }
    const evidence = downstreamRef && 'count' in answer ? { downstreamRef, count: answer.count } : undefined;
    const { decision, ...change } = recordTaskQueried(
      order,
      task.taskId,
      answer.status,
      evidence,
      ctx,
      window,
      askedAt,
    );
    const after = findTask(change.order, task.taskId);
    const left = Math.max(0, MAX_PENDING_QUERIES - (after.queries - after.budgetFrom.queries));
    return {
      change,
      result: {
        status: answer.status,
        decision: decision.kind,
        ...('waitSeconds' in decision ? { waitSeconds: decision.waitSeconds } : {}),
        ...(decision.kind === 'HOLD' ? { reasonCode: decision.reasonCode } : {}),
        ...(downstreamRef ? { downstreamRef } : {}),
        ...('count' in answer ? { count: answer.count } : {}),
        pendingChecksLeft: left,
      },
    };
  });
  const wait = waitAfter(result);
  if (budget && wait !== undefined && !fitsInChild(budget, new Date().toISOString(), wait * 1000 + queryMs)) {
    result.handBack = true;
  }
  logger.info('queried downstream', {
    status: result.status,
    decision: result.decision,
    pendingChecksLeft: result.pendingChecksLeft,
  });
  return result;
};

export const handler = withObservability(run);
