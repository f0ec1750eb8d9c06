import { type WorkflowInput, workflowInput } from '#domain/order/workflow-input';
import type { OrderFacts } from './checks.ts';
import type { FindingDraft } from './findings.ts';

/** States in which an order is being fulfilled: some execution should be driving it. */
const activeStates: ReadonlySet<string> = new Set(['acknowledged', 'inProgress', 'pendingCancellation']);

/** Step Functions execution names: 1 to 80 of [A-Za-z0-9-_]. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);

/** The execution a new order's creation event starts: one per order, whoever starts it. */
export const firstExecutionName = (orderId: string): string => safeName(`order-${orderId}`);

/** A restart of an order whose first execution ended: one per order version. */
export const resumeExecutionName = (orderId: string, version: number): string =>
  safeName(`order-${orderId}-resume-v${version}`);

export type RestartPlan = {
  orderId: string;
  /** Tried in order; a name already used is skipped (StartExecution is idempotent per name). */
  executionNames: string[];
  input: WorkflowInput;
};

export type StrandedOrder = { draft: FindingDraft; restart?: RestartPlan };

const lastChange = (o: OrderFacts) => o.updatedAt ?? o.orderDate;

/**
 * Product order → orchestration: an order being fulfilled (not final, not held for a human),
 * unchanged for longer than the threshold, with no running execution — its events never reached
 * fulfillment, or its execution ended or was lost. The fulfillment machine is re-entrant (every
 * task is claimed on the aggregate before its side effect, an unknown outcome is queried before
 * anything is sent again), so restarting it is declared safe: first under the name the creation
 * event uses (a late redelivery of that event then starts nothing), else under a name fixed per
 * order version (two runs that see the same order start one execution).
 *
 * `runningExecutionNames` undefined: the executions could not be listed; the orders are reported
 * for a human and nothing is restarted.
 */
export const strandedOrders = (
  orders: OrderFacts[],
  runningExecutionNames: readonly string[] | undefined,
  now: string,
  thresholdMs: number,
  correlationId: string,
): StrandedOrder[] =>
  orders
    .filter(
      (o) =>
        activeStates.has(o.state) &&
        Date.parse(now) - Date.parse(lastChange(o)) > thresholdMs &&
        !runningExecutionNames?.some((name) => name.includes(o.id)),
    )
    .map((o) => {
      const neverStarted = o.state === 'acknowledged' && !o.planned && o.tasks.length === 0;
      const verified = runningExecutionNames !== undefined;
      const minutes = Math.round(thresholdMs / 60_000);
      const draft: FindingDraft = {
        check: 'order-execution-started',
        classification: neverStarted ? 'ORDER_EXECUTION_NOT_STARTED' : 'ORDER_EXECUTION_STRANDED',
        severity: 'HIGH',
        sourceRecord: {
          system: 'oms',
          type: 'ProductOrder',
          id: o.id,
          version: o.version,
          state: o.state,
          orderDate: o.orderDate,
          updatedAt: lastChange(o),
        },
        counterpartRecord: {
          system: 'orchestration',
          type: 'FulfillmentExecution',
          id: o.id,
          state: verified ? 'NONE_RUNNING' : 'UNVERIFIED',
        },
        difference: neverStarted
          ? `order acknowledged at ${o.orderDate} has no fulfillment plan after ${minutes} min`
          : `order ${o.state} unchanged since ${lastChange(o)} (over ${minutes} min) with no running fulfillment execution`,
        repairDecision: verified
          ? {
              mode: 'AUTO',
              action: 'Restart fulfillment for the order: it resumes from where the order aggregate stands',
              reason:
                'Re-entrant workflow: tasks are claimed before any side effect and unknown outcomes are queried first; one execution name per order version',
            }
          : {
              mode: 'MANUAL',
              action: 'Check the order’s executions, then restart fulfillment for the order',
              reason: 'Running executions could not be listed: a restart could race one still running',
            },
      };
      if (!verified) return { draft };
      const names = [firstExecutionName(o.id), resumeExecutionName(o.id, o.version)];
      return {
        draft,
        restart: {
          orderId: o.id,
          executionNames: neverStarted ? names : names.slice(1),
          input: workflowInput(o.id, o.correlationId ?? correlationId),
        },
      };
    });
