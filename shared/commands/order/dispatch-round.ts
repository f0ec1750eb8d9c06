import {
  DownstreamRejected,
  DownstreamTimeout,
  DownstreamUnavailable,
  sendToDownstream,
} from '#adapters/downstream-client';
import { timersOf } from '#adapters/task-timers';
import { mutateOrder } from '#commands/order-step';
import { billingAcknowledgements } from '#domain/order/billing-acknowledgement';
import {
  claimRound,
  downstreamConcurrency,
  inRuns,
  recordRound,
  roundCapacity,
  type SendResult,
  tasksPerWrite,
} from '#domain/order/dispatch-round';
import type { TaskRef } from '#domain/order/fulfillment';
import type { ScaledTimers } from '#domain/order/long-running';
import { acceptTask } from '#domain/order/long-running';
import { emitBillingAcknowledgement } from '#plumbing/billing-metrics';
import { emit } from '#plumbing/metrics';
import { serviceTargets } from '#signals';

export type RoundInput = { orderId: string; correlationId: string; tasks: TaskRef[] };
/**
 * `left`: the round's tasks for the per-task steps (queries first, budgets spent, refusals to send
 * again after a backoff); `sent`: how many requests went out.
 */
export type RoundOutput = { left: TaskRef[]; sent: number };

/** The dispatch SLOs (shared/slos.ts): every call, its latency, and whether it was slow or failed. */
export const measureDispatch = (downstream: string) => {
  const started = Date.now();
  let measured = false;
  return (failed: boolean) => {
    if (measured) return;
    measured = true;
    const ms = Date.now() - started;
    emit('DispatchAttempts', 1, downstream);
    emit('DispatchLatency', ms, downstream);
    if (ms > serviceTargets.dispatchLatencyMs) emit('DispatchSlow', 1, downstream);
    if (failed) emit('DispatchFailed', 1, downstream);
  };
};

/** The task's request; its correlation id is the downstream's idempotency key. */
export const sendTask = (orderId: string, correlationId: string, task: TaskRef) =>
  sendToDownstream(task.downstream, {
    correlationId: task.correlationId,
    orderId,
    taskId: task.taskId,
    action: task.type,
    payload: { ...task.payload, taskAction: task.action, orderCorrelationId: correlationId },
  });

const sendOne = async (orderId: string, correlationId: string, task: TaskRef): Promise<SendResult> => {
  const measure = measureDispatch(task.downstream);
  try {
    const ack = await sendTask(orderId, correlationId, task);
    measure(false);
    return ack.status === 'ACCEPTED'
      ? { kind: 'ACCEPTED', taskId: task.taskId, downstreamRef: ack.downstreamRef }
      : { kind: 'ANSWERED', taskId: task.taskId, evidence: ack };
  } catch (error) {
    measure(true);
    if (error instanceof DownstreamUnavailable) {
      emit('DownstreamRetry', 1);
      return { kind: 'UNAVAILABLE', taskId: task.taskId, errorCode: error.name };
    }
    if (error instanceof DownstreamRejected) return { kind: 'REJECTED', taskId: task.taskId };
    const errorName = error instanceof DownstreamTimeout ? error.name : (error as Error).name;
    return { kind: 'UNKNOWN', taskId: task.taskId, errorName };
  }
};

type Claimed = { send: string[]; exhausted: string[] };

/** Each downstream's tasks in waves of its concurrency; the systems side by side. */
const sendAll = async (orderId: string, correlationId: string, tasks: TaskRef[]): Promise<SendResult[]> => {
  const bySystem = Object.values(Object.groupBy(tasks, (t) => t.downstream)) as TaskRef[][];
  const perSystem = await Promise.all(
    bySystem.map(async (queue) => {
      const results: SendResult[] = [];
      for (const wave of inRuns(queue, downstreamConcurrency)) {
        results.push(...(await Promise.all(wave.map((t) => sendOne(orderId, correlationId, t)))));
      }
      return results;
    }),
  );
  return perSystem.flat();
};

const timersByType = async (tasks: TaskRef[]): Promise<Map<string, ScaledTimers>> => {
  const types = [...new Set(tasks.map((t) => t.type))];
  return new Map(await Promise.all(types.map(async (type) => [type, await timersOf(type)] as const)));
};

/**
 * One round: claims the ready tasks (within what each downstream takes in the time budget), sends
 * them, records every answer; each write decides at most `tasksPerWrite` tasks.
 */
export const dispatchRound = async (
  input: RoundInput,
  limits: { budgetMs: number; downstreamTimeoutMs: number },
): Promise<RoundOutput> => {
  const { orderId, correlationId } = input;
  const capacity = roundCapacity(limits.budgetMs, limits.downstreamTimeoutMs);
  const fresh = Object.values(
    Object.groupBy(
      input.tasks.filter((t) => t.mode === 'DISPATCH'),
      (t) => t.downstream,
    ),
  ).flatMap((list) => (list ?? []).slice(0, capacity));
  const left = input.tasks.filter((t) => t.mode !== 'DISPATCH');
  const toSend: TaskRef[] = [];
  for (const run of inRuns(fresh, tasksPerWrite)) {
    const claimed = await mutateOrder<Claimed>(orderId, correlationId, 'dispatch', (order, ctx) => {
      const claim = claimRound(
        order,
        run.map((t) => t.taskId),
        ctx,
      );
      const result: Claimed = { send: claim.send, exhausted: claim.exhausted };
      return claim.change.events.length > 0 ? { change: claim.change, result } : { unchanged: result };
    });
    toSend.push(...run.filter((t) => claimed.send.includes(t.taskId)));
    left.push(...run.filter((t) => claimed.exhausted.includes(t.taskId)));
  }
  const results = await sendAll(orderId, correlationId, toSend);
  const byId = new Map(toSend.map((t) => [t.taskId, t]));
  const timers = results.some((r) => r.kind === 'ACCEPTED') ? await timersByType(toSend) : new Map();
  for (const run of inRuns(results, tasksPerWrite)) {
    const acknowledged = await mutateOrder<{ latencyMs: number }[]>(
      orderId,
      correlationId,
      'dispatch',
      (order, ctx) => {
        const change = recordRound(order, run, ctx, (current, taskId, downstreamRef) =>
          acceptTask(current, taskId, downstreamRef, timers.get(byId.get(taskId)!.type)!, ctx),
        );
        return change.events.length > 0
          ? { change, result: billingAcknowledgements(order, change.order, ctx.now) }
          : { unchanged: [] };
      },
    );
    // The billing acknowledgement SLO counts what this write recorded, once it is saved.
    for (const ack of acknowledged) emitBillingAcknowledgement(ack.latencyMs);
  }
  // Refused before doing anything: sent again by the per-task step, after its backoff, within its budget.
  const refused = new Set(results.filter((r) => r.kind === 'UNAVAILABLE').map((r) => r.taskId));
  left.push(...toSend.filter((t) => refused.has(t.taskId)));
  return { left, sent: toSend.length };
};
