import type { CommandContext } from '#domain/actor';
import type { DomainEvent } from '#domain/events';
import type { FulfillmentTask, TaskType, TaskWait } from '#domain/order/fulfillment-task';
import { jeopardyEvent } from '#domain/order/jeopardy';
import type { JeopardyAlert, JeopardyType } from '#domain/order/jeopardy-alert';
import { findTask, hold, withTask } from '#domain/order/order-changes';
import { changeEvents } from '#domain/order/order-events';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';

/**
 * Long-running downstream work: the downstream accepts a dispatch and finishes later. The task
 * waits durably (its timers live on the task; the workflow sleeps until the next one is due):
 * silence past the heartbeat → query by correlation id; the last fifth of the expected duration
 * → jeopardy atRisk, past it → breached; past the hard limit → fallout that says what is known.
 */
export type ScaledTimers = TaskTimers & { firstCheckSeconds: number };
export type TaskTimers = { expectedSeconds: number; heartbeatSeconds: number; hardLimitSeconds: number };

/** The first query of running work comes this soon (scaled like the timers); later ones back off to the heartbeat. */
export const FIRST_CHECK_SECONDS = 10;

const minute = 60;
const hour = 60 * minute;
const day = 24 * hour;
const activation: TaskTimers = {
  expectedSeconds: 15 * minute,
  heartbeatSeconds: 5 * minute,
  hardLimitSeconds: hour,
};

/** Timers of a task type when the catalog release names none. */
export const defaultTaskTimers: Record<TaskType, TaskTimers> = {
  ACCESS_PROVISION: { expectedSeconds: 10 * day, heartbeatSeconds: 12 * hour, hardLimitSeconds: 20 * day },
  ACCESS_DECOMMISSION: { expectedSeconds: 2 * day, heartbeatSeconds: 12 * hour, hardLimitSeconds: 5 * day },
  SERVICE_ACTIVATION: activation,
  SDWAN_ACTIVATION: activation,
  SECURITY_ACTIVATION: activation,
  IP_BLOCK_ASSIGN: activation,
  SERVICE_DEACTIVATION: activation,
  SDWAN_DEACTIVATION: activation,
  SECURITY_DEACTIVATION: activation,
  IP_BLOCK_RELEASE: activation,
  SERVICE_CHANGE: activation,
  SERVICE_SUSPEND: activation,
  SERVICE_RESUME: activation,
  SERVICE_DISCONNECT: activation,
  BILLING_HANDOFF: { expectedSeconds: hour, heartbeatSeconds: 15 * minute, hardLimitSeconds: 4 * hour },
};

/** The longest hard limit a catalog may give a task: the fulfillment workflow's own timeout (24 days) outlasts it. */
export const MAX_HARD_LIMIT_SECONDS = 23 * day;

export const taskTypes = Object.keys(defaultTaskTimers) as [TaskType, ...TaskType[]];

/** An item is at risk in the last fifth of its expected duration (as the order-level sweep). */
const riskShare = 0.2;

const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/**
 * The task's timers in this environment: `timeScale` compresses downstream time locally
 * (1 in AWS). A heartbeat never drops below a second (the workflow's Wait has whole seconds).
 */
export const scaledTimers = (
  type: TaskType,
  overrides: Partial<Record<TaskType, TaskTimers>> | undefined,
  timeScale: number,
): ScaledTimers => {
  const t = overrides?.[type] ?? defaultTaskTimers[type];
  const heartbeatSeconds = Math.max(1, t.heartbeatSeconds * timeScale);
  return {
    expectedSeconds: t.expectedSeconds * timeScale,
    heartbeatSeconds,
    hardLimitSeconds: t.hardLimitSeconds * timeScale,
    firstCheckSeconds: Math.min(heartbeatSeconds, Math.max(1, FIRST_CHECK_SECONDS * timeScale)),
  };
};

const result = (
  before: ProductOrder,
  after: ProductOrder,
  extra: DomainEvent[] = [],
): OrderCommandResult => ({
  order: after,
  events: [...changeEvents(before, after), ...extra],
});

/**
 * The downstream acknowledged a claimed dispatch, or a query of one in doubt found it running:
 * the task now waits for its completion notice.
 */
export const acceptTask = (
  order: ProductOrder,
  taskId: string,
  downstreamRef: string,
  timers: ScaledTimers,
  ctx: CommandContext,
): OrderCommandResult => {
  const task = findTask(order, taskId);
  if ((task.state !== 'IN_PROGRESS' && task.state !== 'UNKNOWN') || task.wait) return { order, events: [] };
  // The work started when it was sent; a query that finds it running later does not restart its clock.
  const since = task.dispatchedAt ?? ctx.now;
  const wait: TaskWait = {
    acceptedAt: ctx.now,
    downstreamRef,
    heartbeatSeconds: timers.heartbeatSeconds,
    atRiskFrom: plus(since, timers.expectedSeconds * (1 - riskShare)),
    expectedBy: plus(since, timers.expectedSeconds),
    hardLimitAt: plus(since, timers.hardLimitSeconds),
    lastHeardAt: ctx.now,
    checks: 0,
    firstCheckSeconds: timers.firstCheckSeconds,
  };
  return result(order, withTask(order, taskId, { state: 'IN_PROGRESS', wait }, ctx.now));
};

export const awaitsCompletion = (task: FulfillmentTask): task is FulfillmentTask & { wait: TaskWait } =>
  task.state === 'IN_PROGRESS' && task.wait !== undefined;

/**
 * Pause before the next query of running work: a heartbeat after a progress notice (the
 * downstream reports on its own); otherwise doubling from the first check up to the heartbeat.
 */
const checkIntervalSeconds = (task: FulfillmentTask & { wait: TaskWait }): number => {
  const w = task.wait;
  if (task.progress && task.progress.lastAt >= lastContact(task)) return w.heartbeatSeconds;
  return Math.min(w.heartbeatSeconds, w.firstCheckSeconds * 2 ** Math.min(w.checks, 30));
};

/** Silence past the check interval (at most the heartbeat): ask the downstream by correlation id. */
export const queryDue = (task: FulfillmentTask & { wait: TaskWait }, now: string): boolean =>
  Date.parse(now) >= Date.parse(lastContact(task)) + checkIntervalSeconds(task) * 1000;

/** The last word heard, or the last query asked (one without an answer is not asked again at once). */
const lastContact = (task: FulfillmentTask & { wait: TaskWait }): string =>
  task.lastQueriedAt && task.lastQueriedAt > task.wait.lastHeardAt
    ? task.lastQueriedAt
    : task.wait.lastHeardAt;

/** When the workflow must look at a waiting task again: the earliest timer still ahead. */
export const nextWakeAt = (task: FulfillmentTask & { wait: TaskWait }, now: string): string => {
  const w = task.wait;
  const timers = [
    plus(lastContact(task), checkIntervalSeconds(task)),
    ...(w.jeopardy ? [] : [w.atRiskFrom]),
    ...(w.jeopardy === 'breached' ? [] : [plus(w.expectedBy, 0.001)]),
    w.hardLimitAt,
  ].filter((t) => Date.parse(t) > Date.parse(now));
  return timers.sort()[0] ?? now;
};

/**
 * A query of accepted work answered "still running" (heard: the heartbeat restarts) or not at all
 * (the downstream accepted it, so nothing is unknown: ask again a heartbeat later).
 */
export const recordAwaitedQuery = (
  order: ProductOrder,
  taskId: string,
  answer: 'PENDING' | 'NO_ANSWER',
  now: string,
): OrderCommandResult => {
  const task = findTask(order, taskId);
  if (!awaitsCompletion(task)) return { order, events: [] };
  const wait = {
    ...task.wait,
    checks: task.wait.checks + 1,
    ...(answer === 'PENDING' ? { lastHeardAt: now } : {}),
  };
  return result(order, withTask(order, taskId, { wait, lastQueriedAt: now, lastQueryResult: answer }, now));
};

/**
 * The levels due now, in order. A check that finds a task already past its expected time raises
 * `atRisk` before `breached`, so the ladder a subscriber sees never depends on when the check ran.
 */
const dueJeopardies = (task: FulfillmentTask & { wait: TaskWait }, now: string): JeopardyType[] => {
  const at = Date.parse(now);
  const levels: JeopardyType[] = [];
  if (at >= Date.parse(task.wait.atRiskFrom) && !task.wait.jeopardy) levels.push('atRisk');
  if (at > Date.parse(task.wait.expectedBy) && task.wait.jeopardy !== 'breached') levels.push('breached');
  return levels;
};

const taskAlert = (
  task: FulfillmentTask & { wait: TaskWait },
  level: JeopardyType,
  id: string,
  now: string,
) =>
  ({
    id,
    '@type': 'JeopardyAlert',
    alertDate: now,
    jeopardyType: level,
    name: level === 'breached' ? 'Task past its expected duration' : 'Task at risk of its expected duration',
    message: `Task ${task.id} (${task.type}, ${task.downstream} ref ${task.wait.downstreamRef}) expected by ${task.wait.expectedBy}`,
    productOrderItem: [{ productOrderItemId: task.orderItemId }],
    owner: task.ownerTeam,
    nextAction:
      level === 'breached'
        ? `Escalate ${task.wait.downstreamRef} with ${task.downstream} and tell the customer the new date`
        : `Expedite ${task.wait.downstreamRef} with ${task.downstream}`,
  }) satisfies JeopardyAlert;

/** Progress seen within the last heartbeat: the work moves, it is merely late. */
const progressing = (task: FulfillmentTask & { wait: TaskWait }, now: string): boolean =>
  task.progress !== undefined &&
  Date.parse(now) - Date.parse(task.progress.lastAt) < task.wait.heartbeatSeconds * 1000;

/**
 * Raises what the waiting tasks' timers call for now: a task jeopardyAlert (atRisk, then
 * breached, each once) and, past the hard limit, the fallout that says what is known.
 */
export const attendWaitingTasks = (
  order: ProductOrder,
  ctx: CommandContext & { newId: () => string },
): OrderCommandResult => {
  if (order.state !== 'inProgress' && order.state !== 'pendingCancellation') return { order, events: [] };
  let next = order;
  const raised: DomainEvent[] = [];
  for (const task of order.tasks) {
    if (!awaitsCompletion(task)) continue;
    for (const level of dueJeopardies(task, ctx.now)) {
      const alert = taskAlert(task, level, ctx.newId(), ctx.now);
      next = withTask(next, task.id, { wait: { ...task.wait, jeopardy: level } }, ctx.now);
      next = { ...next, jeopardyAlerts: [...(next.jeopardyAlerts ?? []), alert] };
      raised.push(jeopardyEvent(next, alert));
    }
    if (Date.parse(ctx.now) >= Date.parse(task.wait.hardLimitAt)) {
      const moving = progressing(task, ctx.now);
      next = hold(
        next,
        {
          reasonCode: moving ? 'DOWNSTREAM_OVERDUE' : 'DOWNSTREAM_STALLED',
          ownerTeam: task.ownerTeam,
          nextAction: moving
            ? `Agree a new date with ${task.downstream} for ${task.wait.downstreamRef}; MARK_COMPLETE when it confirms, or CANCEL`
            : `Chase ${task.downstream} on ${task.wait.downstreamRef}: no progress since ${task.progress?.lastAt ?? task.wait.acceptedAt}; RETRY or CANCEL`,
          taskId: task.id,
          detail: {
            known: moving ? 'IN_PROGRESS' : 'STALLED',
            downstreamRef: task.wait.downstreamRef,
            acceptedAt: task.wait.acceptedAt,
            lastHeardAt: task.wait.lastHeardAt,
            progressNotices: task.progress?.count ?? 0,
          },
        },
        ctx.now,
      );
      break;
    }
  }
  return result(order, next, raised);
};
