import type { TaskRef } from '#domain/order/next-step';
import type { ProductOrder } from '#domain/order/product-order';
import { nextQueryDueAt } from '#domain/order/unknown-outcome';

/**
 * The time of one Express child run of the fulfillment workflow (Express stops at 5 minutes):
 * when it started and how long it may run. The child hands back to its Standard parent before
 * its limit instead of being cut off, so the unknown-outcome protocol spans as many children as
 * its query budget needs.
 */
export type ChildBudget = { startedAt: string; limitMs: number };

/** Kept in hand to return to the parent: one more step and the return (30 s of Express's 300 s). */
export const reserveMs = (budget: ChildBudget): number => budget.limitMs / 10;

/** Whether work of `needMs` (a query, a wait and a query) still leaves the reserve before the limit. */
export const fitsInChild = (budget: ChildBudget, now: string, needMs: number): boolean =>
  Date.parse(budget.startedAt) + budget.limitMs - Date.parse(now) - needMs > reserveMs(budget);

export type HandBack = { kind: 'CONTINUE'; waitSeconds: number };

/**
 * Whether the child should hand the ready tasks back to its parent rather than start them: every
 * ready task is a query not due yet (the parent waits until the earliest is due, then runs a new
 * child, so the backoff holds across children), or no room is left for what comes next: a query,
 * or a whole dispatch round (`roundMs`, its step's longest run) when tasks are to be sent.
 */
export const handBackBeforeDispatch = (
  order: ProductOrder,
  ready: TaskRef[],
  budget: ChildBudget,
  now: string,
  queryMs: number,
  roundMs = queryMs,
): HandBack | undefined => {
  const onlyQueries = ready.every((t) => t.mode === 'QUERY_FIRST');
  const due = ready.map((ref) => {
    const task = order.tasks.find((t) => t.id === ref.taskId);
    return Date.parse((task && nextQueryDueAt(task)) ?? now);
  });
  const waitMs = onlyQueries ? Math.max(0, Math.min(...due) - Date.parse(now)) : 0;
  if (waitMs > 0) return { kind: 'CONTINUE', waitSeconds: Math.ceil(waitMs / 1000) };
  const needMs = onlyQueries ? queryMs : Math.max(queryMs, roundMs);
  // A child that has barely started has all the room a new one would: handing back could only spin.
  const started = Date.parse(now) - Date.parse(budget.startedAt) >= reserveMs(budget);
  if (started && !fitsInChild(budget, now, needMs)) return { kind: 'CONTINUE', waitSeconds: 0 };
  return undefined;
};
