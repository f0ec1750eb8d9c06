import { randomUUID } from 'node:crypto';
import type { ExtraItem } from '#adapters/aggregate-store';
import { taskPagesOf } from '#adapters/order-pages';
import {
  cancelWithInstalledBase,
  completeWithInstalledBase,
} from '#commands/inventory/complete-with-installed-base';
import { mutateOrder, requireString, type StepDecision } from '#commands/order-step';
import type { CommandContext } from '#domain/actor';
import { completeCancellation } from '#domain/order/cancellation';
import { type ChildBudget, type HandBack, handBackBeforeDispatch } from '#domain/order/child-budget';
import { dispatchBatch } from '#domain/order/dispatch-batch';
import { completeOrder, nextStep, startFulfillment, type TaskRef } from '#domain/order/fulfillment';
import { attendWaitingTasks } from '#domain/order/long-running';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';
import { holdAfterWorkflowFailure } from '#domain/order/workflow-failure';
import { env } from '#plumbing/env';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';
import { functions } from '#topology';

/** `childStartedAt`: the start of the Express child run asking (its time limit bounds what it starts). */
/** `holdAfterFailure`: the parent's Catch after its child runs kept failing (the error it caught). */
export type NextStepInput = {
  orderId: string;
  correlationId: string;
  childStartedAt?: string;
  holdAfterFailure?: { Error?: string; Cause?: string };
};

/**
 * What the state machine's Route understands: DISPATCH (a Map over the tasks), WAIT (another
 * run has a dispatch in flight; bounded by the domain's in-flight timeout, after which the task
 * is queried), FINISHED, STALLED (nothing ready, not finished: the Stalled Fail state), or
 * CONTINUE (the child hands back to its parent before its time limit; the parent waits
 * `waitSeconds` and runs a new child).
 */
export type NextStepOutput =
  | { kind: 'DISPATCH'; tasks: TaskRef[] }
  | Installing
  | HandBack
  | { kind: 'WAIT'; reason: string }
  | { kind: 'FINISHED'; outcome: string; reasonCode?: string; ownerTeam?: string; taskId?: string }
  | { kind: 'STALLED'; reason: string };

/**
 * A slice of an ending order's installed base was written, the ending not yet: the step decides
 * again at once on the saved order. Never returned to the state machine.
 */
type Installing = { kind: 'INSTALLING' };
/** The longest a dispatch round may run: its step's function timeout. */
const roundMs = (functions['fulfillment-dispatch'].timeoutSeconds ?? 10) * 1000;
/** Slices one invocation writes before it hands back to the workflow (each reads the whole order). */
const SLICES_PER_INVOCATION = 5;

const finished = (order: ProductOrder): NextStepOutput => ({
  kind: 'FINISHED',
  outcome: order.state,
  ...(order.fallout
    ? {
        reasonCode: order.fallout.reasonCode,
        ownerTeam: order.fallout.ownerTeam,
        taskId: order.fallout.taskId,
      }
    : {}),
});

const installing = (
  change: OrderCommandResult,
  extraItems: ExtraItem[] | undefined,
): StepDecision<NextStepOutput> => ({
  change,
  result: { kind: 'INSTALLING' },
  ...(extraItems ? { extraItems } : {}),
  changed: true,
});

const decide = async (
  stored: ProductOrder,
  ctx: CommandContext,
  budget: ChildBudget | undefined,
): Promise<StepDecision<NextStepOutput>> => {
  const fulfilling = startFulfillment(stored, ctx);
  // Timers of accepted long-running work first: jeopardy due now, or fallout past its hard limit.
  const attended = attendWaitingTasks(fulfilling.order, { ...ctx, newId: randomUUID });
  const started: OrderCommandResult = {
    order: attended.order,
    events: [...fulfilling.events, ...attended.events],
  };
  const order = started.order;
  const withStart = (change: OrderCommandResult): OrderCommandResult => ({
    order: change.order,
    events: [...started.events, ...change.events],
  });
  const step = nextStep(order, { now: ctx.now });
  let output: NextStepOutput;
  let change: OrderCommandResult = started;
  let extraItems: ExtraItem[] | undefined;
  switch (step.kind) {
    case 'DISPATCH': {
      // Each task names its page of a large order: its dispatch and record steps read that page only.
      const tasks = dispatchBatch(step.tasks).map((ref) => {
        const pages = taskPagesOf(order, ref.taskId);
        return pages ? { ...ref, pages } : ref;
      });
      output = (budget &&
        handBackBeforeDispatch(order, tasks, budget, ctx.now, env.downstreamTimeoutMs(), roundMs)) ?? {
        kind: 'DISPATCH',
        tasks,
      };
      break;
    }
    case 'COMPLETE': {
      // The installed base changes in the transaction that completes the order's items.
      const completed = await completeWithInstalledBase(order, ctx, completeOrder);
      if (!completed.ended) return installing(withStart(completed.change), completed.extraItems);
      change = withStart(completed.change);
      extraItems = completed.extraItems;
      output = finished(change.order);
      break;
    }
    case 'CANCELLED': {
      // A cancelled change order releases the products it held, in the same transaction.
      const cancelled = await cancelWithInstalledBase(order, ctx, completeCancellation);
      if (!cancelled.ended) return installing(withStart(cancelled.change), cancelled.extraItems);
      change = withStart(cancelled.change);
      extraItems = cancelled.extraItems;
      output = finished(change.order);
      break;
    }
    case 'HELD':
    case 'DONE':
      output = finished(order);
      break;
    case 'WAIT':
      output =
        step.reason === 'AWAITING_COMPLETION'
          ? // The parent sleeps until the earliest timer of the waiting tasks (a durable Wait).
            {
              kind: 'CONTINUE',
              waitSeconds: Math.max(1, Math.ceil((Date.parse(step.until) - Date.parse(ctx.now)) / 1000)),
            }
          : step.reason === 'IN_FLIGHT'
            ? { kind: 'WAIT', reason: step.reason }
            : { kind: 'STALLED', reason: step.reason };
      break;
  }
  if (change.events.length === 0) return { unchanged: output };
  return { change, result: output, ...(extraItems ? { extraItems } : {}) };
};

const run = async (input: NextStepInput): Promise<NextStepOutput> => {
  const orderId = requireString(input?.orderId, 'orderId');
  const correlationId = requireString(input?.correlationId, 'correlationId');
  logger.appendKeys({ orderId, correlationId });
  const budget =
    typeof input.childStartedAt === 'string'
      ? { startedAt: input.childStartedAt, limitMs: env.expressChildLimitMs() }
      : undefined;
  if (input.holdAfterFailure) {
    logger.warn('fulfillment workflow failed: holding the order', { error: input.holdAfterFailure.Error });
    return mutateOrder<NextStepOutput>(orderId, correlationId, 'hold-after-failure', (order, ctx) => {
      const change = holdAfterWorkflowFailure(order, ctx);
      return change.events.length > 0
        ? { change, result: finished(change.order) }
        : { unchanged: finished(change.order) };
    });
  }
  let output: NextStepOutput = { kind: 'INSTALLING' };
  for (let slice = 0; output.kind === 'INSTALLING' && slice < SLICES_PER_INVOCATION; slice++) {
    output = await mutateOrder(orderId, correlationId, 'next-step', (order, ctx) =>
      decide(order, ctx, budget),
    );
  }
  // Still writing a large order's installed base: the workflow asks again after a pause.
  if (output.kind === 'INSTALLING') output = { kind: 'CONTINUE', waitSeconds: 1 };
  logger.info('next step', {
    kind: output.kind,
    ...(output.kind === 'DISPATCH' ? { taskIds: output.tasks.map((t) => t.taskId) } : {}),
    ...(output.kind === 'FINISHED' ? { outcome: output.outcome } : {}),
  });
  return output;
};

export const handler = withObservability(run);
