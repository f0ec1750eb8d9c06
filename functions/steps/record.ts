import { mutateOrder, requireString, type StepDecision } from '#commands/order-step';
import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { recordFallout, recordTaskCompleted, recordTaskOutcomeUnknown } from '#domain/order/fulfillment';
import type { TaskEvidence } from '#domain/order/fulfillment-task';
import { findTask } from '#domain/order/order-changes';
import type { FalloutReasonCode, ProductOrder } from '#domain/order/product-order';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

export type RecordInput = {
  orderId: string;
  correlationId: string;
  taskId: string;
  outcome: 'DONE' | 'UNKNOWN' | 'FALLOUT';
  /** DONE: where the evidence comes from (the dispatch answer or a query by correlation id). */
  source?: 'response' | 'query';
  evidence?: { downstreamRef?: string; [key: string]: unknown };
  reasonCode?: FalloutReasonCode;
  /** The state machine's caught error: `{ Error, Cause }`. */
  error?: { Error?: string; Cause?: string };
};

export type RecordOutput = { recorded: boolean; orderState: string; taskState: string; reason?: string };

const falloutReasons: readonly FalloutReasonCode[] = [
  'DOWNSTREAM_REJECTED',
  'RETRY_BUDGET_EXHAUSTED',
  'UNKNOWN_OUTCOME_UNRESOLVED',
  'BILLING_REJECTED',
  'DECOMPOSITION_FAILED',
  'COMPENSATION_FAILED',
];

const stale = (order: ProductOrder, taskId: string, reason: string): StepDecision<RecordOutput> => ({
  unchanged: {
    recorded: false,
    orderState: order.state,
    taskState: order.tasks.find((t) => t.id === taskId)?.state ?? 'NONE',
    reason,
  },
});

const recorded = (order: ProductOrder, taskId: string): RecordOutput => ({
  recorded: true,
  orderState: order.state,
  taskState: findTask(order, taskId).state,
});

const decideFor =
  (input: RecordInput) =>
  (order: ProductOrder, ctx: CommandContext): StepDecision<RecordOutput> => {
    const task = findTask(order, input.taskId);
    switch (input.outcome) {
      case 'DONE': {
        if (task.state === 'DONE') return stale(order, task.id, 'already done');
        if (task.state !== 'IN_PROGRESS' && task.state !== 'UNKNOWN') {
          return stale(order, task.id, `task ${task.state}`);
        }
        const evidence: TaskEvidence = {
          ...(input.evidence ?? {}),
          downstreamRef: String(input.evidence?.downstreamRef ?? ''),
          source: input.source ?? 'response',
        };
        const change = recordTaskCompleted(order, task.id, evidence, ctx);
        return { change, result: recorded(change.order, task.id) };
      }
      case 'UNKNOWN': {
        if (task.state !== 'IN_PROGRESS') return stale(order, task.id, `task ${task.state}`);
        const change = recordTaskOutcomeUnknown(order, task.id, input.error?.Error ?? 'UNKNOWN', ctx);
        return { change, result: recorded(change.order, task.id) };
      }
      case 'FALLOUT': {
        if (task.state === 'DONE' || task.state === 'CANCELLED')
          return stale(order, task.id, `task ${task.state}`);
        const requested = input.reasonCode ?? 'DOWNSTREAM_REJECTED';
        const reasonCode: FalloutReasonCode =
          requested === 'DOWNSTREAM_REJECTED' && task.downstream === 'billing'
            ? 'BILLING_REJECTED'
            : requested;
        if (order.state === 'held' && order.fallout?.taskId !== task.id) {
          return stale(order, task.id, 'order already held for another task');
        }
        const change = recordFallout(order, task.id, { reasonCode }, ctx);
        return { change, result: recorded(change.order, task.id) };
      }
    }
  };

/** Stale decisions (another run or a repair moved the task on) are reported, not forced. */
const tolerant =
  (decide: ReturnType<typeof decideFor>) =>
  (order: ProductOrder, ctx: CommandContext): StepDecision<RecordOutput> => {
    try {
      return decide(order, ctx);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVALID_STATE_TRANSITION') {
        return stale(order, '', error.message);
      }
      throw error;
    }
  };

const emitSignals = (input: RecordInput, output: RecordOutput, order?: { reasonCode?: string }) => {
  if (!output.recorded) return;
  if (input.outcome === 'UNKNOWN') emit('UnknownOutcomeRecorded', 1);
  if (input.outcome === 'FALLOUT')
    emit('FalloutRaised', 1, order?.reasonCode ?? input.reasonCode ?? 'UNKNOWN');
};

const run = async (input: RecordInput): Promise<RecordOutput> => {
  const orderId = requireString(input?.orderId, 'orderId');
  const correlationId = requireString(input?.correlationId, 'correlationId');
  requireString(input?.taskId, 'taskId');
  if (!['DONE', 'UNKNOWN', 'FALLOUT'].includes(input.outcome)) {
    requireString(undefined, 'outcome DONE | UNKNOWN | FALLOUT');
  }
  if (input.reasonCode !== undefined && !falloutReasons.includes(input.reasonCode)) {
    requireString(undefined, 'a known reasonCode');
  }
  logger.appendKeys({ orderId, correlationId, taskId: input.taskId });
  let falloutReason: string | undefined;
  const output = await mutateOrder(orderId, correlationId, 'record', (order, ctx) => {
    const decision = tolerant(decideFor(input))(order, ctx);
    if ('change' in decision) falloutReason = decision.change.order.fallout?.reasonCode;
    return decision;
  });
  emitSignals(input, output, { reasonCode: falloutReason });
  logger.info('task outcome recorded', {
    outcome: input.outcome,
    recorded: output.recorded,
    orderState: output.orderState,
    taskState: output.taskState,
    ...(falloutReason ? { reasonCode: falloutReason } : {}),
    ...(output.reason ? { reason: output.reason } : {}),
  });
  return output;
};

export const handler = withObservability(run);
