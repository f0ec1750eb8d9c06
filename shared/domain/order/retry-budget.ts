import type { FulfillmentTask } from '#domain/order/fulfillment-task';

/** Dispatches of one task before it falls out (counted from the last repair). */
export const MAX_DISPATCH_ATTEMPTS = 3;
/** Queries answering PENDING before an unknown outcome falls out as unresolved. */
export const MAX_PENDING_QUERIES = 5;
/** Queries of any answer before an unknown outcome falls out as unresolved (counted from the last repair). */
export const MAX_QUERIES_PER_RESOLUTION = 24;
/** A dispatch without a recorded outcome after this long is treated as an unknown outcome. */
export const IN_FLIGHT_TIMEOUT_MS = 60_000;

export const dispatchBudgetLeft = (task: FulfillmentTask): boolean =>
  task.attempts - task.budgetFrom.attempts < MAX_DISPATCH_ATTEMPTS;

export const queryBudgetLeft = (task: FulfillmentTask): boolean =>
  task.queries - task.budgetFrom.queries < MAX_PENDING_QUERIES;
