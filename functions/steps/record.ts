import { mutateOrder, requireString, taskPagesIn } from '#commands/order-step';
import { billingAcknowledgement } from '#domain/order/billing-acknowledgement';
import { isFalloutReasonCode, type ProductOrder } from '#domain/order/product-order';
import { recordTaskOutcome, type TaskOutcome } from '#domain/order/task-outcome';
import { emitBillingAcknowledgement } from '#plumbing/billing-metrics';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

export type RecordInput = {
  orderId: string;
  correlationId: string;
  taskId: string;
  outcome: TaskOutcome['outcome'];
  source?: 'response' | 'query';
  evidence?: { downstreamRef?: string; [key: string]: unknown };
  reasonCode?: string;
  /** The state machine's caught error: `{ Error, Cause }`. */
  error?: { Error?: string; Cause?: string };
  /** The task as NextStep handed it to the round: where it is in a large order (`pages`). */
  task?: { pages?: unknown };
};

export type RecordOutput = { recorded: boolean; orderState: string; taskState: string; reason?: string };

/** The state machine's input as the domain's outcome; anything else is an InvalidStepInput. */
const outcomeOf = (input: RecordInput): TaskOutcome => {
  switch (input?.outcome) {
    case 'DONE':
      return {
        outcome: 'DONE',
        ...(input.source ? { source: input.source } : {}),
        ...(input.evidence ? { evidence: input.evidence } : {}),
      };
    case 'UNKNOWN':
      return { outcome: 'UNKNOWN', ...(input.error?.Error ? { errorName: input.error.Error } : {}) };
    case 'FALLOUT':
      if (input.reasonCode !== undefined && !isFalloutReasonCode(input.reasonCode))
        return requireString(undefined, 'a known reasonCode') as never;
      return { outcome: 'FALLOUT', ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}) };
    default:
      return requireString(undefined, 'outcome DONE | UNKNOWN | FALLOUT') as never;
  }
};

const taskStateOf = (order: ProductOrder, taskId: string) =>
  order.tasks.find((t) => t.id === taskId)?.state ?? 'NONE';

const emitSignals = (outcome: TaskOutcome, output: RecordOutput, reasonCode: string | undefined) => {
  if (!output.recorded) return;
  if (outcome.outcome === 'UNKNOWN') emit('UnknownOutcomeRecorded', 1);
  if (outcome.outcome === 'FALLOUT') emit('FalloutRaised', 1, reasonCode ?? 'UNKNOWN');
};

const run = async (input: RecordInput): Promise<RecordOutput> => {
  const orderId = requireString(input?.orderId, 'orderId');
  const correlationId = requireString(input?.correlationId, 'correlationId');
  const taskId = requireString(input?.taskId, 'taskId');
  const outcome = outcomeOf(input);
  logger.appendKeys({ orderId, correlationId, taskId });
  let falloutReason: string | undefined;
  let billingAck: { latencyMs: number } | undefined;
  const pages = taskPagesIn(input.task?.pages);
  const output = await mutateOrder<RecordOutput>(
    orderId,
    correlationId,
    'record',
    (order, ctx) => {
      const decision = recordTaskOutcome(order, taskId, outcome, ctx);
      if ('stale' in decision) {
        const reason = decision.stale;
        return {
          unchanged: {
            recorded: false,
            orderState: order.state,
            taskState: taskStateOf(order, taskId),
            reason,
          },
        };
      }
      const after = decision.change.order;
      falloutReason = after.fallout?.reasonCode;
      billingAck = billingAcknowledgement(order, after, ctx.now);
      return {
        change: decision.change,
        result: { recorded: true, orderState: after.state, taskState: taskStateOf(after, taskId) },
      };
    },
    pages ? { taskId, pages } : undefined,
  );
  emitSignals(outcome, output, falloutReason ?? input.reasonCode);
  if (output.recorded && billingAck) emitBillingAcknowledgement(billingAck.latencyMs);
  logger.info('task outcome recorded', {
    outcome: outcome.outcome,
    recorded: output.recorded,
    orderState: output.orderState,
    taskState: output.taskState,
    ...(falloutReason ? { reasonCode: falloutReason } : {}),
    ...(output.reason ? { reason: output.reason } : {}),
  });
  return output;
};

export const handler = withObservability(run);
