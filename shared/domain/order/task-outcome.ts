import type { CommandContext } from '#domain/actor';
import { DomainError } from '#domain/errors';
import { recordFallout, recordTaskCompleted, recordTaskOutcomeUnknown } from '#domain/order/fulfillment';
import type { TaskEvidence } from '#domain/order/fulfillment-task';
import { findTask } from '#domain/order/order-changes';
import type { FalloutReasonCode, OrderCommandResult, ProductOrder } from '#domain/order/product-order';

/** What the workflow learnt of one dispatched task. */
export type TaskOutcome =
  | {
      outcome: 'DONE';
      /** Where the evidence comes from: the dispatch answer or a query by correlation id. */
      source?: 'response' | 'query';
      evidence?: { downstreamRef?: string; [key: string]: unknown };
    }
  | { outcome: 'UNKNOWN'; errorName?: string }
  | { outcome: 'FALLOUT'; reasonCode?: FalloutReasonCode };

/** Recorded, or stale: another run or a repair moved the task on, which is reported, not forced. */
export type OutcomeDecision = { change: OrderCommandResult } | { stale: string };

const decide = (
  order: ProductOrder,
  taskId: string,
  outcome: TaskOutcome,
  ctx: CommandContext,
): OutcomeDecision => {
  const task = findTask(order, taskId);
  switch (outcome.outcome) {
    case 'DONE': {
      if (task.state === 'DONE') return { stale: 'already done' };
      if (task.state !== 'IN_PROGRESS' && task.state !== 'UNKNOWN') return { stale: `task ${task.state}` };
      const evidence: TaskEvidence = {
        ...(outcome.evidence ?? {}),
        downstreamRef: String(outcome.evidence?.downstreamRef ?? ''),
        source: outcome.source ?? 'response',
      };
      return { change: recordTaskCompleted(order, task.id, evidence, ctx) };
    }
    case 'UNKNOWN': {
      if (task.state !== 'IN_PROGRESS') return { stale: `task ${task.state}` };
      return { change: recordTaskOutcomeUnknown(order, task.id, outcome.errorName ?? 'UNKNOWN', ctx) };
    }
    case 'FALLOUT': {
      if (task.state === 'DONE' || task.state === 'CANCELLED') return { stale: `task ${task.state}` };
      const requested = outcome.reasonCode ?? 'DOWNSTREAM_REJECTED';
      // A rejection by billing is billing's to resolve: its own reason routes it to billing-ops.
      const reasonCode: FalloutReasonCode =
        requested === 'DOWNSTREAM_REJECTED' && task.downstream === 'billing' ? 'BILLING_REJECTED' : requested;
      if (order.state === 'held' && order.fallout?.taskId !== task.id) {
        return { stale: 'order already held for another task' };
      }
      return { change: recordFallout(order, task.id, { reasonCode }, ctx) };
    }
  }
};

/** Records the outcome of one task on the order, unless the task or the order has moved on. */
export const recordTaskOutcome = (
  order: ProductOrder,
  taskId: string,
  outcome: TaskOutcome,
  ctx: CommandContext,
): OutcomeDecision => {
  try {
    return decide(order, taskId, outcome, ctx);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'INVALID_STATE_TRANSITION')
      return { stale: error.message };
    throw error;
  }
};
