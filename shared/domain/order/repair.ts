import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { repairCancelId } from '#domain/order/cancel-id';
import { requestCancellation } from '#domain/order/cancellation';
import type { FulfillmentTask } from '#domain/order/fulfillment-task';
import { assertOrderState, findTask, invalidTaskState, release, withTask } from '#domain/order/order-changes';
import { changeEvents, repairRecorded } from '#domain/order/order-events';
import {
  DECOMPOSITION_STEP,
  type OrderCommandResult,
  type ProductOrder,
  type RepairAction,
  type RepairAuditRecord,
  type RepairEvidence,
} from '#domain/order/product-order';

export type RepairRequest = { action: RepairAction; reasonCode: string; evidence?: RepairEvidence };

/**
 * What the task's downstream says when asked by the task's correlation id: the references it
 * completed under it, or that it knows of none yet, or that it could not be asked.
 */
export type DownstreamConfirmation =
  | { status: 'DONE'; completedRefs: readonly string[] }
  | { status: 'PENDING' | 'NOT_FOUND' }
  | { status: 'UNAVAILABLE'; reason: string };

/** Whether the task needs the downstream asked before this repair can be decided. */
export const needsDownstreamConfirmation = (request: RepairRequest): boolean =>
  request.action === 'MARK_COMPLETE';

const taskStateOf = (order: ProductOrder, taskId: string): string =>
  taskId === DECOMPOSITION_STEP
    ? order.plan
      ? 'PLANNED'
      : 'NOT_PLANNED'
    : (order.tasks.find((t) => t.id === taskId)?.state ?? 'NONE');

const releaseHold = (order: ProductOrder, taskId: string, resolution: string, now: string): ProductOrder =>
  order.state === 'held' && order.fallout?.taskId === taskId ? release(order, resolution, now) : order;

/** RETRY is safe only where no side effect can be duplicated. */
const retry = (order: ProductOrder, task: FulfillmentTask, now: string): ProductOrder => {
  const budgetFrom = { attempts: task.attempts, queries: task.queries };
  switch (task.state) {
    case 'FAILED':
      return releaseHold(
        withTask(order, task.id, { state: 'PENDING', budgetFrom }, now),
        task.id,
        'retry',
        now,
      );
    case 'UNKNOWN':
    case 'IN_PROGRESS': {
      const since = task.state === 'UNKNOWN' ? (task.unknownSince ?? task.dispatchedAt) : task.dispatchedAt;
      const queriedSince =
        task.lastQueriedAt !== undefined &&
        (since === undefined || Date.parse(task.lastQueriedAt) >= Date.parse(since));
      if (!queriedSince) {
        throw new DomainError('OUTCOME_UNKNOWN', 'Query the downstream by correlation id before retrying', {
          taskId: task.id,
          correlationId: task.correlationId,
        });
      }
      // The downstream still reports the work as pending: retrying means resolving it again, query first.
      return releaseHold(
        withTask(order, task.id, { state: 'UNKNOWN', budgetFrom }, now),
        task.id,
        'retry',
        now,
      );
    }
    default:
      throw invalidTaskState(task, 'retry');
  }
};

/**
 * An operator's word is not evidence: MARK_COMPLETE needs the downstream itself to confirm that
 * it completed the offered reference under this task's correlation id.
 */
const markComplete = (
  order: ProductOrder,
  task: FulfillmentTask,
  evidence: RepairEvidence | undefined,
  confirmation: DownstreamConfirmation | undefined,
  now: string,
) => {
  const offered = typeof evidence?.downstreamRef === 'string' ? evidence.downstreamRef.trim() : '';
  if (offered === '') {
    throw new DomainError(
      'EVIDENCE_REQUIRED',
      'Marking complete needs evidence that the downstream completed',
      {
        taskId: task.id,
      },
    );
  }
  if (task.state === 'DONE' || task.state === 'CANCELLED') throw invalidTaskState(task, 'mark complete');
  if (confirmation?.status === 'UNAVAILABLE') {
    throw new DomainError(
      'DOWNSTREAM_UNAVAILABLE',
      `The ${task.downstream} system could not confirm the reference; try again later`,
      { taskId: task.id, downstream: task.downstream, reason: confirmation.reason },
    );
  }
  if (confirmation?.status !== 'DONE' || !confirmation.completedRefs.includes(offered)) {
    throw new DomainError(
      'EVIDENCE_REQUIRED',
      `The ${task.downstream} system does not confirm ${offered} as completed for this task`,
      {
        taskId: task.id,
        correlationId: task.correlationId,
        downstreamRef: offered,
        downstreamAnswer: confirmation?.status ?? 'NOT_ASKED',
      },
    );
  }
  const done = withTask(
    order,
    task.id,
    {
      state: 'DONE',
      completedAt: now,
      evidence: { ...evidence, downstreamRef: offered, source: 'repair', confirmedBy: 'downstream-query' },
    },
    now,
  );
  return releaseHold(done, task.id, 'marked complete with downstream-confirmed evidence', now);
};

const retryDecomposition = (order: ProductOrder, now: string): ProductOrder => {
  if (order.fallout?.taskId !== DECOMPOSITION_STEP) {
    throw new DomainError('INVALID_STATE_TRANSITION', 'Decomposition did not fail for this order', {
      orderId: order.id,
    });
  }
  return release(order, 'retry decomposition', now);
};

/**
 * Operator repair through the domain: permission, invariants, and an immutable audit record.
 * Releasing a hold is the caller's cue to start the fulfillment state machine again.
 */
export const repairTask = (
  order: ProductOrder,
  taskId: string,
  request: RepairRequest,
  ctx: CommandContext,
  confirmation?: DownstreamConfirmation,
): OrderCommandResult => {
  if (ctx.actor.role !== 'ops') {
    throw new DomainError(
      'FORBIDDEN',
      'Only operations may repair fulfillment',
      { role: ctx.actor.role },
      403,
    );
  }
  if (!request.reasonCode?.trim()) {
    throw new DomainError('REASON_CODE_REQUIRED', 'A repair needs a reason code', { taskId });
  }
  let repaired: ProductOrder;
  let extraEvents: OrderCommandResult['events'] = [];
  if (request.action === 'CANCEL') {
    const cancelled = requestCancellation(
      order,
      {
        cancelId: repairCancelId(order.id, order.repairs.length + 1),
        cancellationReason: request.reasonCode,
      },
      ctx,
    );
    repaired = cancelled.order;
    extraEvents = cancelled.events.filter((e) => e.eventType.startsWith('CancelProductOrder'));
  } else if (taskId === DECOMPOSITION_STEP) {
    assertOrderState(order, ['held'], 'repair decomposition of');
    if (request.action !== 'RETRY')
      throw new DomainError('INVALID_STATE_TRANSITION', 'Decomposition can only be retried');
    repaired = retryDecomposition(order, ctx.now);
  } else {
    assertOrderState(order, ['held', 'inProgress', 'pendingCancellation'], 'repair a task of');
    const task = findTask(order, taskId);
    repaired =
      request.action === 'RETRY'
        ? retry(order, task, ctx.now)
        : markComplete(order, task, request.evidence, confirmation, ctx.now);
  }
  const record: RepairAuditRecord = {
    id: `${order.id}-repair-${order.repairs.length + 1}`,
    actor: { principalId: ctx.actor.principalId, role: ctx.actor.role },
    action: request.action,
    taskId,
    reasonCode: request.reasonCode,
    evidence: request.evidence ? { ...request.evidence } : null,
    at: ctx.now,
    correlationId: ctx.correlationId,
    before: { orderState: order.state, taskState: taskStateOf(order, taskId) },
    after: { orderState: repaired.state, taskState: taskStateOf(repaired, taskId) },
  };
  const after: ProductOrder = { ...repaired, repairs: [...order.repairs, record] };
  return {
    order: after,
    events: [...extraEvents, ...changeEvents(order, after), repairRecorded(after, record)],
  };
};
