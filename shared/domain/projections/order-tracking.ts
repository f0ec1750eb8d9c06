import {
  cursorOf,
  type Freshness,
  freshnessAfter,
  isAfter,
  num,
  obj,
  type SourceEvent,
  str,
  withApplied,
} from './source-event.ts';

export type TrackedTask = {
  taskId: string;
  orderItemId?: string;
  type: string;
  action?: string;
  downstream?: string;
  state: string;
  attempts: number;
  correlationId?: string;
  lastErrorCode?: string;
  ownerTeam?: string;
  compensationOf?: string;
  cursor: string;
  at: string;
};

export type FalloutView = {
  reasonCode: string;
  ownerTeam: string;
  nextAction: string;
  since: string;
  taskId?: string;
};

export type OrderItemView = {
  id: string;
  quoteItemId?: string;
  offeringId?: string;
  productFamily?: string;
  quantity?: number;
};

/**
 * One row per order, the source of the order tracking and the fallout views. Built from order
 * events only: the header (state, fallout) from the order's create and state-change events,
 * each task from its own task events, each with its own cursor.
 */
export type OrderTrackingRow = {
  orderId: string;
  channelId: string;
  accountId?: string;
  quoteId?: string;
  billingAccountId?: string;
  orderDate?: string;
  currency?: string;
  externalId?: string;
  items: OrderItemView[];
  state: string;
  stateSince?: string;
  completionDate?: string;
  fallout?: FalloutView;
  headerCursor?: string;
  tasks: Record<string, TrackedTask>;
  repairs: Record<string, { id: string; action: string; taskId: string; reasonCode: string; at: string }>;
  cancellation?: { id: string; state: string; reason?: string; cursor: string };
  /** The highest jeopardy level raised (alerts only go up). */
  jeopardy?: { type: string; alertDate: string; owner?: string; nextAction?: string };
  applied: string[];
  freshness: Freshness;
};

export const orderEventTypes = [
  'ProductOrderCreateEvent',
  'ProductOrderStateChangeEvent',
  'FulfillmentTaskStateChangeEvent',
  'FulfillmentPlanCreateEvent',
  'FulfillmentTaskRepairEvent',
  'CancelProductOrderCreateEvent',
  'CancelProductOrderStateChangeEvent',
  'ProductOrderJeopardyEvent',
] as const;

export const isOrderEvent = (event: SourceEvent): boolean =>
  event.aggregateType === 'ORDER' && (orderEventTypes as readonly string[]).includes(event.eventType);

const falloutOf = (v: unknown): FalloutView | undefined => {
  const f = obj(v);
  if (!f) return undefined;
  return {
    reasonCode: str(f.reasonCode) ?? 'UNKNOWN',
    ownerTeam: str(f.ownerTeam) ?? 'order-ops',
    nextAction: str(f.nextAction) ?? '',
    since: str(f.since) ?? '',
    taskId: str(f.taskId),
  };
};

const applyHeader = (row: OrderTrackingRow, event: SourceEvent): OrderTrackingRow => {
  const r = event.resource;
  const next = { ...row };
  if (event.eventType === 'ProductOrderCreateEvent') {
    // Create-only fields never change: taking them whenever the event arrives is order-free.
    next.items = Array.isArray(r.productOrderItem)
      ? (r.productOrderItem as Record<string, unknown>[]).map((i) => ({
          id: str(i.id) ?? '',
          quoteItemId: str(i.quoteItemId),
          offeringId: str(i.offeringId),
          ...(str(i.productFamily) ? { productFamily: str(i.productFamily) } : {}),
          quantity: num(i.quantity),
        }))
      : [];
    next.billingAccountId = str(r.billingAccountId);
    next.orderDate = str(r.orderDate);
    next.currency = str(r.currency);
    if (str(r.externalId)) next.externalId = str(r.externalId);
  }
  next.accountId = str(r.accountId) ?? next.accountId;
  next.quoteId = str(r.quoteId) ?? next.quoteId;
  // Within one aggregate version a state change follows the create.
  const cursor = cursorOf(event, event.eventType === 'ProductOrderCreateEvent' ? 0 : 1);
  if (isAfter(cursor, row.headerCursor)) {
    next.headerCursor = cursor;
    next.state = str(r.state) ?? row.state;
    next.stateSince = str(r.at) ?? str(r.orderDate) ?? event.eventTime;
    next.completionDate = str(r.completionDate);
    next.fallout = falloutOf(r.fallout);
    if (!next.fallout) delete next.fallout;
    if (!next.completionDate) delete next.completionDate;
  }
  return next;
};

const applyTask = (row: OrderTrackingRow, event: SourceEvent): OrderTrackingRow => {
  const r = event.resource;
  const taskId = str(r.taskId);
  if (!taskId) return row;
  const cursor = cursorOf(event);
  if (!isAfter(cursor, row.tasks[taskId]?.cursor)) return row;
  const task: TrackedTask = {
    taskId,
    orderItemId: str(r.orderItemId),
    type: str(r.type) ?? 'UNKNOWN',
    action: str(r.action),
    downstream: str(r.downstream),
    state: str(r.state) ?? 'PENDING',
    attempts: num(r.attempts) ?? 0,
    correlationId: str(r.correlationId),
    lastErrorCode: str(r.lastErrorCode),
    ownerTeam: str(r.ownerTeam),
    compensationOf: str(r.compensationOf),
    cursor,
    at: event.eventTime,
  };
  return { ...row, tasks: { ...row.tasks, [taskId]: task } };
};

export const applyOrderEvent = (
  row: OrderTrackingRow | undefined,
  event: SourceEvent,
  now: string,
): OrderTrackingRow | undefined => {
  if (!isOrderEvent(event)) return row;
  if (row?.applied.includes(event.eventId)) return row;
  const r = event.resource;
  let next: OrderTrackingRow = {
    ...(row ?? {
      orderId: event.aggregateId,
      channelId: str(r.channelId) ?? '',
      items: [],
      state: 'acknowledged',
      tasks: {},
      repairs: {},
      freshness: freshnessAfter(undefined, event, now),
      applied: [],
    }),
  };
  next.channelId = str(r.channelId) ?? next.channelId;
  switch (event.eventType) {
    case 'ProductOrderCreateEvent':
    case 'ProductOrderStateChangeEvent':
      next = applyHeader(next, event);
      break;
    case 'FulfillmentTaskStateChangeEvent':
      next = applyTask(next, event);
      break;
    case 'ProductOrderJeopardyEvent': {
      const alert = obj(r.jeopardyAlert);
      const type = str(alert?.jeopardyType);
      if (alert && type && (next.jeopardy?.type !== 'breached' || type === 'breached')) {
        next.jeopardy = {
          type,
          alertDate: str(alert.alertDate) ?? event.eventTime,
          owner: str(alert.owner),
          nextAction: str(alert.nextAction),
        };
      }
      break;
    }
    case 'FulfillmentTaskRepairEvent': {
      const id = str(r.id);
      if (id) {
        next.repairs = {
          ...next.repairs,
          [id]: {
            id,
            action: str(r.action) ?? '',
            taskId: str(r.taskId) ?? '',
            reasonCode: str(r.reasonCode) ?? '',
            at: str(r.at) ?? event.eventTime,
          },
        };
      }
      break;
    }
    case 'CancelProductOrderCreateEvent':
    case 'CancelProductOrderStateChangeEvent': {
      const cursor = cursorOf(event, event.eventType === 'CancelProductOrderCreateEvent' ? 1 : 2);
      if (isAfter(cursor, next.cancellation?.cursor)) {
        next.cancellation = {
          id: str(r.id) ?? '',
          state: str(r.state) ?? '',
          reason: str(r.cancellationReason),
          cursor,
        };
      }
      break;
    }
    default:
      break;
  }
  next.applied = withApplied(next.applied, event.eventId);
  next.freshness = freshnessAfter(row?.freshness, event, now);
  return next;
};

export type SlaRisk = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';

const closedStates = new Set(['completed', 'cancelled', 'rejected', 'failed']);

/** Derived from state alone, so it is the same for every reader at any time. */
export const slaRiskOf = (row: OrderTrackingRow): { level: SlaRisk; reason: string } => {
  if (closedStates.has(row.state)) return { level: 'NONE', reason: `order ${row.state}` };
  if (row.jeopardy?.type === 'breached') return { level: 'HIGH', reason: 'expected completion missed' };
  if (row.fallout) return { level: 'HIGH', reason: `fallout ${row.fallout.reasonCode}` };
  const tasks = Object.values(row.tasks);
  if (tasks.some((t) => t.state === 'UNKNOWN')) return { level: 'HIGH', reason: 'task outcome unknown' };
  if (row.jeopardy?.type === 'atRisk') return { level: 'MEDIUM', reason: 'expected completion at risk' };
  if (tasks.some((t) => t.state === 'FAILED' || t.attempts > 1 || t.lastErrorCode))
    return { level: 'MEDIUM', reason: 'task retried or failed' };
  return { level: 'LOW', reason: 'progressing' };
};

const itemState = (tasks: TrackedTask[]): string => {
  const forward = tasks.filter((t) => t.action !== 'delete');
  if (forward.length === 0) return 'pending';
  if (forward.some((t) => t.state === 'FAILED')) return 'failed';
  if (forward.every((t) => t.state === 'DONE')) return 'completed';
  if (forward.every((t) => t.state === 'CANCELLED' || t.state === 'DONE')) return 'cancelled';
  if (forward.some((t) => t.state !== 'PENDING')) return 'inProgress';
  return 'pending';
};

/** The response of `GET /views/order-tracking/{orderId}`. */
export const orderTrackingView = (row: OrderTrackingRow) => {
  const tasks = Object.values(row.tasks).sort((a, b) => a.taskId.localeCompare(b.taskId));
  const billing = tasks.find((t) => t.type === 'BILLING_HANDOFF');
  return {
    orderId: row.orderId,
    channelId: row.channelId,
    accountId: row.accountId,
    quoteId: row.quoteId,
    orderDate: row.orderDate,
    state: row.state,
    stateSince: row.stateSince,
    completionDate: row.completionDate,
    items: row.items.map((i) => ({
      ...i,
      state: itemState(tasks.filter((t) => t.orderItemId === i.id)),
    })),
    tasks: tasks.map((t) => ({
      taskId: t.taskId,
      orderItemId: t.orderItemId,
      type: t.type,
      action: t.action,
      downstream: t.downstream,
      state: t.state,
      attempts: t.attempts,
      correlationId: t.correlationId,
      lastErrorCode: t.lastErrorCode ?? null,
      ownerTeam: t.ownerTeam,
    })),
    billingHandoff: billing
      ? { state: billing.state, taskId: billing.taskId, correlationId: billing.correlationId }
      : { state: 'NOT_STARTED' },
    fallout: row.fallout ?? null,
    cancellation: row.cancellation ? { id: row.cancellation.id, state: row.cancellation.state } : null,
    slaRisk: slaRiskOf(row),
    ...(row.jeopardy ? { jeopardy: row.jeopardy } : {}),
    freshness: publicFreshness(row.freshness),
  };
};

export const publicFreshness = (f: Freshness) => ({
  sourceVersion: f.sourceVersion,
  sourceEventId: f.sourceEventId,
  sourceEventTime: f.sourceEventTime,
  projectedAt: f.projectedAt,
  lagMs: f.lagMs,
});

export const isOpenFallout = (row: OrderTrackingRow): boolean => row.state === 'held' && !!row.fallout;

/** A row of `GET /views/fallout`; the age is computed when read. */
export const falloutView = (row: OrderTrackingRow, now: string) => {
  const f = row.fallout!;
  const task = f.taskId ? row.tasks[f.taskId] : undefined;
  return {
    orderId: row.orderId,
    channelId: row.channelId,
    accountId: row.accountId,
    reasonCode: f.reasonCode,
    ownerTeam: f.ownerTeam,
    nextAction: f.nextAction,
    since: f.since,
    ageMs: Math.max(0, Date.parse(now) - Date.parse(f.since)),
    taskId: f.taskId,
    task: task
      ? { type: task.type, downstream: task.downstream, state: task.state, lastErrorCode: task.lastErrorCode }
      : null,
    freshness: publicFreshness(row.freshness),
  };
};
