import { type EventOf, eventTypesOf, type FalloutPayload, type ProductOrderEvent } from '#domain/events';
import {
  cursorOf,
  type Freshness,
  freshnessAfter,
  isAfter,
  type SourceEvent,
  type TypedSourceEvent,
  typedEvent,
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
  action?: string;
  productName?: string;
  expectedCompletionDate?: string;
};

export type OrderRevisionView = {
  revision: number;
  at: string;
  quoteId?: string;
  previousQuoteId?: string;
  addedItemIds: string[];
  removedItemIds: string[];
  cursor: string;
};

/** An item as the create and revision events carry it (its id may be missing from an old event). */
const itemViewOf = (i: Partial<OrderItemView>): OrderItemView => ({
  id: i.id ?? '',
  quoteItemId: i.quoteItemId,
  offeringId: i.offeringId,
  ...(i.productFamily ? { productFamily: i.productFamily } : {}),
  quantity: i.quantity,
  ...(i.action ? { action: i.action } : {}),
  ...(i.productName ? { productName: i.productName } : {}),
  ...(i.expectedCompletionDate ? { expectedCompletionDate: i.expectedCompletionDate } : {}),
});

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
  customerName?: string;
  quoteRevision?: number;
  requestedCompletionDate?: string;
  items: OrderItemView[];
  /** Items whose tasks wait for other items' (from the plan). */
  itemDependencies?: Record<string, string[]>;
  state: string;
  stateSince?: string;
  completionDate?: string;
  fallout?: FalloutView;
  headerCursor?: string;
  tasks: Record<string, TrackedTask>;
  repairs: Record<string, { id: string; action: string; taskId: string; reasonCode: string; at: string }>;
  cancellation?: { id: string; state: string; reason?: string; cursor: string };
  /** The last revision of the order in flight; its items are the row's items. */
  revision?: OrderRevisionView;
  /** The highest jeopardy level raised (alerts only go up). */
  jeopardy?: { type: string; alertDate: string; owner?: string; nextAction?: string };
  applied: string[];
  freshness: Freshness;
};

/** What the row tracks: every order event but a PATCH of channel attributes and a repair request. */
const trackedEventTypes: readonly string[] = eventTypesOf('productOrder').filter(
  (name) => name !== 'ProductOrderAttributeValueChangeEvent' && name !== 'ProductOrderRepairEvent',
);

export const isOrderEvent = (event: SourceEvent): boolean =>
  event.aggregateType === 'ORDER' && trackedEventTypes.includes(event.eventType);

type OrderSourceEvent<K extends ProductOrderEvent['eventType'] = ProductOrderEvent['eventType']> =
  TypedSourceEvent & EventOf<K>;

const falloutOf = (f: FalloutPayload | undefined): FalloutView | undefined =>
  f && {
    reasonCode: f.reasonCode ?? 'UNKNOWN',
    ownerTeam: f.ownerTeam ?? 'order-ops',
    nextAction: f.nextAction ?? '',
    since: f.since ?? '',
    taskId: f.taskId,
  };

const applyHeader = (
  row: OrderTrackingRow,
  event: OrderSourceEvent<'ProductOrderCreateEvent' | 'ProductOrderStateChangeEvent'>,
): OrderTrackingRow => {
  const next = { ...row };
  if (event.eventType === 'ProductOrderCreateEvent') {
    const r = event.resource;
    // Create-only fields never change: taking them whenever the event arrives is order-free.
    // The items do change by revision: a revision already applied keeps its items.
    if (!row.revision) next.items = (r.productOrderItem ?? []).map(itemViewOf);
    next.billingAccountId = r.billingAccountId;
    next.orderDate = r.orderDate;
    next.currency = r.currency;
    if (r.externalId) next.externalId = r.externalId;
    if (r.customerName) next.customerName = r.customerName;
    if (r.quoteRevision !== undefined) next.quoteRevision = r.quoteRevision;
    if (r.requestedCompletionDate) next.requestedCompletionDate = r.requestedCompletionDate;
  }
  next.accountId = event.resource.accountId ?? next.accountId;
  next.quoteId = row.revision?.quoteId ?? event.resource.quoteId ?? next.quoteId;
  // Within one aggregate version a state change follows the create.
  const cursor = cursorOf(event, event.eventType === 'ProductOrderCreateEvent' ? 0 : 1);
  if (isAfter(cursor, row.headerCursor)) {
    const change = event.eventType === 'ProductOrderStateChangeEvent' ? event.resource : undefined;
    const created = event.eventType === 'ProductOrderCreateEvent' ? event.resource : undefined;
    next.headerCursor = cursor;
    next.state = event.resource.state ?? row.state;
    next.stateSince = change?.at ?? created?.orderDate ?? event.eventTime;
    next.completionDate = change?.completionDate;
    next.fallout = falloutOf(change?.fallout);
    if (!next.fallout) delete next.fallout;
    if (!next.completionDate) delete next.completionDate;
  }
  return next;
};

const applyTask = (
  row: OrderTrackingRow,
  event: OrderSourceEvent<'FulfillmentTaskStateChangeEvent'>,
): OrderTrackingRow => {
  const r = event.resource;
  const taskId = r.taskId;
  if (!taskId) return row;
  const cursor = cursorOf(event);
  if (!isAfter(cursor, row.tasks[taskId]?.cursor)) return row;
  const task: TrackedTask = {
    taskId,
    orderItemId: r.orderItemId,
    type: r.type ?? 'UNKNOWN',
    action: r.action,
    downstream: r.downstream,
    state: r.state ?? 'PENDING',
    attempts: r.attempts ?? 0,
    correlationId: r.correlationId,
    lastErrorCode: r.lastErrorCode,
    ownerTeam: r.ownerTeam,
    compensationOf: r.compensationOf,
    cursor,
    at: event.eventTime,
  };
  return { ...row, tasks: { ...row.tasks, [taskId]: task } };
};

export const applyOrderEvent = (
  row: OrderTrackingRow | undefined,
  source: SourceEvent,
  now: string,
): OrderTrackingRow | undefined => {
  const event = isOrderEvent(source) ? (typedEvent(source) as OrderSourceEvent | undefined) : undefined;
  if (!event) return row;
  if (row?.applied.includes(event.eventId)) return row;
  const channelId = 'channelId' in event.resource ? event.resource.channelId : undefined;
  let next: OrderTrackingRow = {
    ...(row ?? {
      orderId: event.aggregateId,
      channelId: channelId ?? '',
      items: [],
      state: 'acknowledged',
      tasks: {},
      repairs: {},
      freshness: freshnessAfter(undefined, source, now),
      applied: [],
    }),
  };
  next.channelId = channelId ?? next.channelId;
  switch (event.eventType) {
    case 'ProductOrderCreateEvent':
    case 'ProductOrderStateChangeEvent':
      next = applyHeader(next, event);
      break;
    case 'FulfillmentTaskStateChangeEvent':
      next = applyTask(next, event);
      break;
    case 'ProductOrderRevisionEvent': {
      const r = event.resource;
      const cursor = cursorOf(event, 1);
      if (isAfter(cursor, next.revision?.cursor)) {
        next.items = (r.productOrderItem ?? []).map(itemViewOf);
        next.quoteId = r.quoteId ?? next.quoteId;
        next.revision = {
          revision: r.revision ?? 0,
          at: r.at ?? event.eventTime,
          quoteId: r.quoteId,
          previousQuoteId: r.previousQuoteId,
          addedItemIds: r.addedItemIds ?? [],
          removedItemIds: r.removedItemIds ?? [],
          cursor,
        };
      }
      break;
    }
    case 'FulfillmentPlanCreateEvent': {
      // The plan is written once: its dependencies never change.
      const deps = event.resource.itemDependencies;
      if (deps && Object.keys(deps).length > 0) next.itemDependencies = deps;
      break;
    }
    case 'ProductOrderJeopardyEvent': {
      const alert = event.resource.jeopardyAlert;
      const type = alert?.jeopardyType;
      if (alert && type && (next.jeopardy?.type !== 'breached' || type === 'breached')) {
        next.jeopardy = {
          type,
          alertDate: alert.alertDate ?? event.eventTime,
          owner: alert.owner,
          nextAction: alert.nextAction,
        };
      }
      break;
    }
    case 'FulfillmentTaskRepairEvent': {
      const r = event.resource;
      if (r.id) {
        next.repairs = {
          ...next.repairs,
          [r.id]: {
            id: r.id,
            action: r.action ?? '',
            taskId: r.taskId ?? '',
            reasonCode: r.reasonCode ?? '',
            at: r.at ?? event.eventTime,
          },
        };
      }
      break;
    }
    case 'CancelProductOrderCreateEvent':
    case 'CancelProductOrderStateChangeEvent': {
      const r = event.resource;
      const cursor = cursorOf(event, event.eventType === 'CancelProductOrderCreateEvent' ? 1 : 2);
      if (isAfter(cursor, next.cancellation?.cursor)) {
        next.cancellation = { id: r.id ?? '', state: r.state ?? '', reason: r.cancellationReason, cursor };
      }
      break;
    }
    default:
      break;
  }
  // A task event is told once by its task's cursor: the row need not list it, so the events of
  // one task change only that task (what the store writes apart, `orderRowParts`).
  if (event.eventType !== 'FulfillmentTaskStateChangeEvent')
    next.applied = withApplied(next.applied, event.eventId);
  next.freshness = freshnessAfter(row?.freshness, source, now);
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

const byTime = (a: TrackedTask, b: TrackedTask) =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.taskId.localeCompare(b.taskId);

/** The task the item cannot move past: a failed or unknown outcome first, else work in progress. */
const blockingTaskOf = (tasks: TrackedTask[]): TrackedTask | undefined =>
  tasks.find((t) => t.state === 'FAILED' || t.state === 'UNKNOWN') ??
  tasks.find((t) => t.state === 'IN_PROGRESS');

/**
 * Each item's progress (requirements 003 §23.2): its state, the milestone its fulfilment last
 * reached (the type of its latest task to move), the task blocking it, and the items it waits
 * for while none of its own tasks has started.
 */
const itemProgress = (row: OrderTrackingRow, tasks: TrackedTask[]) => {
  const ofItem = new Map(row.items.map((i) => [i.id, tasks.filter((t) => t.orderItemId === i.id)]));
  const states = new Map(row.items.map((i) => [i.id, itemState(ofItem.get(i.id) ?? [])]));
  return row.items.map((item) => {
    const own = (ofItem.get(item.id) ?? []).filter((t) => t.action !== 'delete' || t.state !== 'PENDING');
    const state = states.get(item.id)!;
    const started = own.some((t) => t.state !== 'PENDING');
    const waitingFor =
      started || state !== 'pending'
        ? []
        : (row.itemDependencies?.[item.id] ?? []).filter((other) => states.get(other) !== 'completed');
    const latest = [...own]
      .filter((t) => t.state !== 'PENDING')
      .sort(byTime)
      .at(-1);
    return {
      item,
      state: waitingFor.length > 0 ? 'waitingDependency' : state,
      fulfillmentMilestone: state === 'completed' ? 'COMPLETED' : (latest?.type ?? 'NOT_STARTED'),
      blockingTask: blockingTaskOf(own),
      waitingFor,
    };
  });
};

/** The latest completion the catalog's lead times promise for the order's items, if any. */
export const promisedCompletionOf = (row: OrderTrackingRow): string | undefined =>
  row.items
    .map((i) => i.expectedCompletionDate)
    .filter((d): d is string => !!d)
    .sort()
    .at(-1);

const stateAgeMs = (row: OrderTrackingRow, now: string) =>
  row.stateSince ? Math.max(0, Date.parse(now) - Date.parse(row.stateSince)) : null;

/** What partner and staff rows share: the order's header, its customer, source and dates. */
const trackingHeader = (row: OrderTrackingRow, now: string) => ({
  orderId: row.orderId,
  // Orders have no number apart from their id.
  orderNumber: row.orderId,
  channelId: row.channelId,
  accountId: row.accountId,
  customer: { accountId: row.accountId ?? null, displayName: row.customerName ?? null },
  quoteId: row.quoteId,
  source: { quoteId: row.quoteId ?? null, quoteRevision: row.quoteRevision ?? null },
  orderDate: row.orderDate,
  state: row.state,
  stateSince: row.stateSince,
  stateAgeMs: stateAgeMs(row, now),
  completionDate: row.completionDate,
  revision: row.revision
    ? {
        revision: row.revision.revision,
        at: row.revision.at,
        previousQuoteId: row.revision.previousQuoteId,
        addedItemIds: row.revision.addedItemIds,
        removedItemIds: row.revision.removedItemIds,
      }
    : null,
  dates: {
    submittedAt: row.orderDate ?? null,
    requestedCompletionDate: row.requestedCompletionDate ?? null,
    promisedCompletionAt: promisedCompletionOf(row) ?? null,
  },
});

/**
 * The billing handoff as one: a handoff in parts (`BILLING_HANDOFF`, `BILLING_HANDOFF-2`, …) is
 * where its first part not yet acknowledged is, and DONE once every part is.
 */
const billingHandoffOfRow = <T extends { type: string; state: string }>(
  tasks: readonly T[],
): T | undefined => {
  const parts = tasks.filter((t) => t.type === 'BILLING_HANDOFF');
  return parts.find((t) => t.state !== 'DONE') ?? parts[0];
};

/**
 * What a partner reads of the tracking row: states and dates of its order, items and tasks. No
 * downstream names, correlation ids, error codes, owner teams, next actions, fallout reasons or
 * task ids.
 */
export const partnerOrderTrackingView = (row: OrderTrackingRow, now: string) => {
  const tasks = Object.values(row.tasks).sort((a, b) => a.taskId.localeCompare(b.taskId));
  const billing = billingHandoffOfRow(tasks);
  const risk = slaRiskOf(row);
  return {
    ...trackingHeader(row, now),
    items: itemProgress(row, tasks).map((p) => ({
      ...p.item,
      state: p.state,
      fulfillmentMilestone: p.fulfillmentMilestone,
      waitingFor: p.waitingFor,
    })),
    tasks: tasks.map((t) => ({ orderItemId: t.orderItemId, type: t.type, action: t.action, state: t.state })),
    billingHandoff: { state: billing?.state ?? 'NOT_STARTED' },
    cancellation: row.cancellation ? { id: row.cancellation.id, state: row.cancellation.state } : null,
    slaRisk: { level: risk.level },
    ...(row.jeopardy ? { jeopardy: { type: row.jeopardy.type, alertDate: row.jeopardy.alertDate } } : {}),
    freshness: publicFreshness(row.freshness),
  };
};

/** The response of `GET /views/order-tracking/{orderId}` to staff (requirements 003 §23.2). */
export const orderTrackingView = (row: OrderTrackingRow, now: string) => {
  const tasks = Object.values(row.tasks).sort((a, b) => a.taskId.localeCompare(b.taskId));
  const billing = billingHandoffOfRow(tasks);
  return {
    ...trackingHeader(row, now),
    items: itemProgress(row, tasks).map((p) => ({
      ...p.item,
      state: p.state,
      fulfillmentMilestone: p.fulfillmentMilestone,
      blockingTaskId: p.blockingTask?.taskId ?? null,
      waitingFor: p.waitingFor,
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

/**
 * The tasks the row's lists, gauges and risk read from the row itself: in doubt, failed,
 * retried, or the fallout's. Any other task counts for none of them.
 */
const isNotableTask = (row: OrderTrackingRow, t: TrackedTask): boolean =>
  t.state === 'UNKNOWN' ||
  t.state === 'FAILED' ||
  t.attempts > 1 ||
  !!t.lastErrorCode ||
  t.taskId === row.fallout?.taskId;

/**
 * How the store keeps an order's row: each task an item of its own, written only when that task
 * changes; the row item keeps the rest and its notable tasks (what a list page shows), so a
 * task event writes one small item whatever the order's size.
 */
export const orderRowParts = {
  of: (row: OrderTrackingRow): Record<string, TrackedTask> => row.tasks,
  summary: (row: OrderTrackingRow): OrderTrackingRow => ({
    ...row,
    tasks: Object.fromEntries(Object.entries(row.tasks).filter(([, t]) => isNotableTask(row, t))),
  }),
  withParts: (summary: OrderTrackingRow, parts: Record<string, TrackedTask>): OrderTrackingRow => {
    const tasks = { ...parts };
    for (const [id, t] of Object.entries(summary.tasks))
      if (!tasks[id] || isAfter(t.cursor, tasks[id].cursor)) tasks[id] = t;
    return { ...summary, tasks };
  },
};
