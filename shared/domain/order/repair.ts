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

const markComplete = (
  order: ProductOrder,
  task: FulfillmentTask,
  evidence: RepairEvidence | undefined,
  now: string,
) => {
  if (typeof evidence?.downstreamRef !== 'string' || evidence.downstreamRef.trim() === '') {
    throw new DomainError(
      'EVIDENCE_REQUIRED',
      'Marking complete needs evidence that the downstream completed',
      {
        taskId: task.id,
      },
    );
  }
  if (task.state === 'DONE' || task.state === 'CANCELLED') throw invalidTaskState(task, 'mark complete');
  const done = withTask(
    order,
    task.id,
    {
      state: 'DONE',
      completedAt: now,
      evidence: { ...evidence, downstreamRef: evidence.downstreamRef, source: 'repair' },
    },
    now,
  );
  return releaseHold(done, task.id, 'marked complete with evidence', now);
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
        : markComplete(order, task, request.evidence, ctx.now);
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
