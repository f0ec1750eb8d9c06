import type { CommandContext } from '#domain/actor';
import { recordFallout, recordTaskCompleted } from '#domain/order/fulfillment';
import type { FulfillmentTask, ProgressNotice } from '#domain/order/fulfillment-task';
import { withTask } from '#domain/order/order-changes';
import { changeEvents } from '#domain/order/order-events';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';

/** A downstream's notice about a task it accepted (the callback endpoint's body). */
export type DownstreamNotice = {
  correlationId: string;
  status: 'PROGRESS' | 'COMPLETED' | 'FAILED';
  /** The downstream's own reference of the work. */
  reference: string;
  /** PROGRESS: the downstream's counter, so a notice delivered twice is recognised. */
  sequence?: number;
  message?: string;
  evidence?: Record<string, unknown>;
};

export type NoticeRefusal = 'UNKNOWN_TASK' | 'TASK_FINISHED' | 'TASK_NOT_DISPATCHED';

export type NoticeOutcome =
  | { kind: 'APPLIED'; change: OrderCommandResult }
  /** Delivered before: nothing changes. */
  | { kind: 'DUPLICATE' }
  | { kind: 'REFUSED'; code: NoticeRefusal; message: string };

/** Progress notices kept on the task; older ones are only counted. */
export const RECENT_PROGRESS_KEPT = 5;
const MESSAGE_CHARS = 200;

/** A late failure is the downstream refusing the work: the fallout and the task say so. */
const FAILED_BY_DOWNSTREAM = 'DOWNSTREAM_REJECTED';

const refused = (code: NoticeRefusal, message: string): NoticeOutcome => ({ kind: 'REFUSED', code, message });

const recordProgress = (
  order: ProductOrder,
  task: FulfillmentTask,
  notice: DownstreamNotice,
  now: string,
): NoticeOutcome => {
  const sequence = notice.sequence ?? (task.progress?.lastSequence ?? 0) + 1;
  if (task.progress && sequence <= task.progress.lastSequence) return { kind: 'DUPLICATE' };
  const entry: ProgressNotice = {
    sequence,
    at: now,
    ...(notice.message ? { message: notice.message.slice(0, MESSAGE_CHARS) } : {}),
  };
  const progress = {
    count: (task.progress?.count ?? 0) + 1,
    lastSequence: sequence,
    lastAt: now,
    recent: [...(task.progress?.recent ?? []), entry].slice(-RECENT_PROGRESS_KEPT),
  };
  const wait = task.wait ? { ...task.wait, lastHeardAt: now } : undefined;
  const after = withTask(order, task.id, { progress, ...(wait ? { wait } : {}) }, now);
  return { kind: 'APPLIED', change: { order: after, events: changeEvents(order, after) } };
};

/**
 * What a downstream notice does to the order: progress is recorded on the task, a completion
 * records the task DONE (evidence: the reference), a failure is a real failure (fallout
 * DOWNSTREAM_REJECTED). A notice delivered twice changes nothing; one for a task we do not know,
 * never sent, or already finished otherwise is refused with a code.
 */
export const applyDownstreamNotice = (
  order: ProductOrder,
  taskId: string,
  notice: DownstreamNotice,
  ctx: CommandContext,
): NoticeOutcome => {
  const task = order.tasks.find((t) => t.id === taskId);
  if (!task || task.correlationId !== notice.correlationId) {
    return refused('UNKNOWN_TASK', `No task ${taskId} with correlation id ${notice.correlationId}`);
  }
  const doneRef = task.evidence?.downstreamRef;
  if (task.state === 'DONE') {
    return notice.status === 'COMPLETED' && doneRef === notice.reference
      ? { kind: 'DUPLICATE' }
      : refused('TASK_FINISHED', `Task ${taskId} is already DONE (${doneRef})`);
  }
  if (task.state === 'FAILED' && notice.status === 'FAILED' && task.lastErrorCode === FAILED_BY_DOWNSTREAM) {
    return { kind: 'DUPLICATE' };
  }
  if (task.state === 'FAILED' || task.state === 'CANCELLED') {
    return refused('TASK_FINISHED', `Task ${taskId} is already ${task.state}`);
  }
  if (task.state === 'PENDING')
    return refused('TASK_NOT_DISPATCHED', `Task ${taskId} has not been dispatched`);
  if (!['inProgress', 'pendingCancellation', 'held'].includes(order.state)) {
    return refused('TASK_FINISHED', `Order ${order.id} is ${order.state}`);
  }
  switch (notice.status) {
    case 'PROGRESS':
      return recordProgress(order, task, notice, ctx.now);
    case 'COMPLETED':
      return {
        kind: 'APPLIED',
        change: recordTaskCompleted(
          order,
          taskId,
          { ...notice.evidence, downstreamRef: notice.reference, source: 'callback' },
          ctx,
        ),
      };
    case 'FAILED': {
      // The notice proves the outcome: an unknown one is known now (failed, nothing to undo).
      const failed = withTask(
        order,
        taskId,
        { state: 'FAILED', lastErrorCode: FAILED_BY_DOWNSTREAM },
        ctx.now,
      );
      if (order.state === 'held') {
        return { kind: 'APPLIED', change: { order: failed, events: changeEvents(order, failed) } };
      }
      const change = recordFallout(
        withTask(order, taskId, { state: 'IN_PROGRESS' }, ctx.now),
        taskId,
        { reasonCode: FAILED_BY_DOWNSTREAM },
        ctx,
      );
      return { kind: 'APPLIED', change: { order: change.order, events: changeEvents(order, change.order) } };
    }
  }
};
