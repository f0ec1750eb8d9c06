import type { FulfillmentTask, QueryResult } from '#domain/order/fulfillment-task';
import {
  dispatchBudgetLeft,
  IN_FLIGHT_TIMEOUT_MS,
  MAX_QUERIES_PER_RESOLUTION,
  queryBudgetLeft,
} from '#domain/order/retry-budget';

/**
 * How long after a request left us a downstream may still record it (its queue, its commit lag
 * under load). Until that has passed, a NOT_FOUND answer proves nothing. Configured per downstream.
 */
export type InFlightWindow = { inFlightWindowMs: number };

export type QueryDecision =
  /** The downstream did it: record DONE from the query. */
  | { kind: 'DONE' }
  /** Proven not done (NOT_FOUND after the window): safe to send again with the same key. */
  | { kind: 'RESEND' }
  /** NOT_FOUND, but the downstream may still commit the earlier request: ask again later. */
  | { kind: 'AWAIT_WINDOW'; waitSeconds: number; provenFrom: string }
  /** The query got no answer (timeout, outage): ask again later. */
  | { kind: 'AWAIT_ANSWER'; waitSeconds: number }
  /** The downstream reports the work as still running. */
  | { kind: 'AWAIT_PENDING' }
  | { kind: 'HOLD'; reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' | 'RETRY_BUDGET_EXHAUSTED' };

/** Longest wait between two queries (the backoff doubles up to this). */
export const MAX_QUERY_BACKOFF_SECONDS = 64;

/**
 * The latest moment the last dispatch's request can have left us: when that dispatch gave up
 * waiting (recorded as an unknown outcome), or, if it never reported back, the moment after
 * which a silent dispatch counts as lost (it cannot still be sending by then).
 */
export const sentNoLaterThan = (task: FulfillmentTask): number | undefined => {
  if (task.dispatchedAt === undefined) return undefined;
  const dispatched = Date.parse(task.dispatchedAt);
  const gaveUp = task.outcomeUnknownAt === undefined ? Number.NaN : Date.parse(task.outcomeUnknownAt);
  return gaveUp >= dispatched ? gaveUp : dispatched + IN_FLIGHT_TIMEOUT_MS;
};

const windowQueries = (task: FulfillmentTask): number => task.queries - task.budgetFrom.queries;

/** 1, 2, 4, … seconds by the queries already made, up to the cap. */
const backoffSeconds = (task: FulfillmentTask): number =>
  Math.min(2 ** Math.min(windowQueries(task), 16), MAX_QUERY_BACKOFF_SECONDS);

/** Seconds a still-running answer (PENDING) waits before the next query (the workflow's Wait). */
export const PENDING_RECHECK_SECONDS = 10;

/**
 * When the next query of a task in doubt is due: its last query plus the wait that query's
 * answer prescribed (backoff for no answer or NOT_FOUND, the recheck pause for PENDING).
 */
export const nextQueryDueAt = (task: FulfillmentTask): string | undefined => {
  if (task.state !== 'UNKNOWN' || task.lastQueriedAt === undefined) return undefined;
  const last = Date.parse(task.lastQueriedAt);
  const waitSeconds =
    task.lastQueryResult === 'PENDING'
      ? PENDING_RECHECK_SECONDS
      : task.lastQueryResult === 'NO_ANSWER' || task.lastQueryResult === 'NOT_FOUND'
        ? backoffSeconds({ ...task, queries: task.queries - 1 })
        : 0;
  return new Date(last + waitSeconds * 1000).toISOString();
};

const unresolved = { kind: 'HOLD', reasonCode: 'UNKNOWN_OUTCOME_UNRESOLVED' } as const;

/**
 * What an answer to a query by correlation id allows, decided from the task as it stood before
 * the query was counted. A NOT_FOUND proves "not done" only once the downstream's in-flight window
 * has passed since the request last left us; before that the task stays unknown and is asked
 * again with backoff. Nothing here ever allows a second send while a first may still land.
 */
export const decideAfterQuery = (
  task: FulfillmentTask,
  answer: QueryResult,
  askedAt: string,
  window: InFlightWindow,
): QueryDecision => {
  const counted: FulfillmentTask = { ...task, queries: task.queries + 1 };
  switch (answer) {
    case 'DONE':
      return { kind: 'DONE' };
    case 'PENDING':
      return queryBudgetLeft(counted) ? { kind: 'AWAIT_PENDING' } : unresolved;
    case 'NO_ANSWER':
      return windowQueries(counted) >= MAX_QUERIES_PER_RESOLUTION
        ? unresolved
        : { kind: 'AWAIT_ANSWER', waitSeconds: backoffSeconds(task) };
    case 'NOT_FOUND': {
      const sent = sentNoLaterThan(task);
      // Never sent (or no record of when): nothing can be in flight.
      const provenFrom = sent === undefined ? Number.NEGATIVE_INFINITY : sent + window.inFlightWindowMs;
      const at = Date.parse(askedAt);
      if (Number.isNaN(at) || !Number.isFinite(window.inFlightWindowMs) || window.inFlightWindowMs < 0) {
        return unresolved;
      }
      if (at >= provenFrom) {
        return dispatchBudgetLeft(task)
          ? { kind: 'RESEND' }
          : { kind: 'HOLD', reasonCode: 'RETRY_BUDGET_EXHAUSTED' };
      }
      if (windowQueries(counted) >= MAX_QUERIES_PER_RESOLUTION) return unresolved;
      const remaining = Math.ceil((provenFrom - at) / 1000);
      return {
        kind: 'AWAIT_WINDOW',
        waitSeconds: Math.max(1, Math.min(backoffSeconds(task), remaining)),
        provenFrom: new Date(provenFrom).toISOString(),
      };
    }
  }
};
