import type {
  Downstream,
  FulfillmentTask,
  TaskAction,
  TaskPayload,
  TaskType,
} from '#domain/order/fulfillment-task';
import { isFulfilled } from '#domain/order/live-items';
import { awaitsCompletion, nextWakeAt, queryDue } from '#domain/order/long-running';
import type { ProductOrder } from '#domain/order/product-order';
import { IN_FLIGHT_TIMEOUT_MS } from '#domain/order/retry-budget';

export type TaskRef = {
  orderId: string;
  taskId: string;
  orderItemId: string;
  type: TaskType;
  action: TaskAction;
  downstream: Downstream;
  correlationId: string;
  /** QUERY_FIRST: a side effect may exist; ask the downstream by correlation id before any retry. */
  mode: 'QUERY_FIRST' | 'DISPATCH';
  attempts: number;
  /** Earlier queries; lets the state machine back off while the downstream says PENDING. */
  queries: number;
  payload: TaskPayload;
  compensationOf?: string;
};

export type NextStep =
  | { kind: 'DISPATCH'; tasks: TaskRef[] }
  | { kind: 'WAIT'; reason: 'NOT_STARTED' | 'IN_FLIGHT' | 'BLOCKED' }
  /** Every open task waits for long-running work the downstream accepted: look again at `until`. */
  | { kind: 'WAIT'; reason: 'AWAITING_COMPLETION'; until: string }
  | { kind: 'COMPLETE' }
  | { kind: 'HELD' }
  | { kind: 'CANCELLED' }
  | { kind: 'DONE' };

const ref = (order: ProductOrder, task: FulfillmentTask, mode: TaskRef['mode']): TaskRef => ({
  orderId: order.id,
  taskId: task.id,
  orderItemId: task.orderItemId,
  type: task.type,
  action: task.action,
  downstream: task.downstream,
  correlationId: task.correlationId,
  mode,
  attempts: task.attempts,
  queries: task.queries,
  payload: task.payload,
  ...(task.compensationOf !== undefined ? { compensationOf: task.compensationOf } : {}),
});

const isTerminal = (t: FulfillmentTask) => t.state === 'DONE' || t.state === 'CANCELLED';

/**
 * A dispatch without recorded outcome is in flight for a while; after that (or when the caller
 * gives no clock, e.g. a restarted run) its outcome is unknown and must be queried.
 */
const inFlight = (task: FulfillmentTask, now: string | undefined): boolean =>
  task.state === 'IN_PROGRESS' &&
  now !== undefined &&
  task.dispatchedAt !== undefined &&
  Date.parse(now) - Date.parse(task.dispatchedAt) < IN_FLIGHT_TIMEOUT_MS;

const depsSatisfied = (order: ProductOrder, task: FulfillmentTask): boolean => {
  const byId = new Map(order.tasks.map((t) => [t.id, t]));
  return task.dependsOn.every((id) => {
    const dep = byId.get(id);
    if (!dep) return false;
    // A compensation may proceed past a dependency that turned out to need no undoing.
    return dep.state === 'DONE' || (task.compensationOf !== undefined && dep.state === 'CANCELLED');
  });
};

const actionable = (
  order: ProductOrder,
  tasks: FulfillmentTask[],
  now: string | undefined,
): NextStep | null => {
  const refs: TaskRef[] = [];
  let waiting = false;
  let wakeAt: string | undefined;
  for (const task of tasks) {
    if (task.state === 'UNKNOWN') refs.push(ref(order, task, 'QUERY_FIRST'));
    else if (awaitsCompletion(task)) {
      const at = now ?? task.wait.lastHeardAt;
      if (now === undefined || queryDue(task, at)) refs.push(ref(order, task, 'QUERY_FIRST'));
      else {
        const wake = nextWakeAt(task, at);
        if (!wakeAt || wake < wakeAt) wakeAt = wake;
      }
    } else if (task.state === 'IN_PROGRESS') {
      if (inFlight(task, now)) waiting = true;
      else refs.push(ref(order, task, 'QUERY_FIRST'));
    } else if (task.state === 'PENDING' && depsSatisfied(order, task))
      refs.push(ref(order, task, 'DISPATCH'));
  }
  if (refs.length > 0) return { kind: 'DISPATCH', tasks: refs };
  if (waiting) return { kind: 'WAIT', reason: 'IN_FLIGHT' };
  if (wakeAt) return { kind: 'WAIT', reason: 'AWAITING_COMPLETION', until: wakeAt };
  return null;
};

/** What the fulfillment state machine should do next, decided from the order alone. */
export const nextStep = (order: ProductOrder, options: { now?: string } = {}): NextStep => {
  switch (order.state) {
    case 'acknowledged':
      return { kind: 'WAIT', reason: 'NOT_STARTED' };
    case 'held':
      return { kind: 'HELD' };
    case 'completed':
    case 'cancelled':
    case 'failed':
    case 'partial':
    case 'rejected':
      return { kind: 'DONE' };
    case 'inProgress': {
      if (isFulfilled(order)) return { kind: 'COMPLETE' };
      // A revision's compensations run beside the forward work; withdrawn PENDING work is CANCELLED.
      return actionable(order, order.tasks, options.now) ?? { kind: 'WAIT', reason: 'BLOCKED' };
    }
    case 'pendingCancellation': {
      // Unresolved forward outcomes first: their compensations depend on them.
      const open = order.tasks.filter((t) => t.compensationOf !== undefined || t.state !== 'PENDING');
      const step = actionable(order, open, options.now);
      if (step) return step;
      if (order.tasks.every(isTerminal)) return { kind: 'CANCELLED' };
      return { kind: 'WAIT', reason: 'BLOCKED' };
    }
  }
};
