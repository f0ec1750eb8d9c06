/** TMF622 item action: `add` sells a new product, the others change an installed one. */
export type OrderItemAction = 'add' | 'modify' | 'delete' | 'suspend' | 'resume';

/** The team that owns a fallout or a jeopardy. */
export type OwnerTeam = 'network-ops' | 'billing-ops' | 'order-ops';

/** The systems fulfillment hands work to. */
export const downstreamSystems = ['provisioning', 'billing'] as const;
export type Downstream = (typeof downstreamSystems)[number];

export const isDownstream = (value: unknown): value is Downstream =>
  downstreamSystems.includes(value as Downstream);

export type ForwardTaskType =
  | 'ACCESS_PROVISION'
  | 'SERVICE_ACTIVATION'
  | 'SDWAN_ACTIVATION'
  | 'SECURITY_ACTIVATION'
  | 'IP_BLOCK_ASSIGN'
  | 'SERVICE_CHANGE'
  | 'SERVICE_SUSPEND'
  | 'SERVICE_RESUME'
  | 'SERVICE_DISCONNECT'
  | 'BILLING_HANDOFF';

export type CompensationTaskType =
  | 'ACCESS_DECOMMISSION'
  | 'SERVICE_DEACTIVATION'
  | 'SDWAN_DEACTIVATION'
  | 'SECURITY_DEACTIVATION'
  | 'IP_BLOCK_RELEASE';

export type TaskType = ForwardTaskType | CompensationTaskType;

/** A compensation (`compensationOf` set) has action `delete`: it undoes what its forward task did. */
export type TaskAction = OrderItemAction;

export type TaskState = 'PENDING' | 'IN_PROGRESS' | 'UNKNOWN' | 'DONE' | 'FAILED' | 'CANCELLED';

/** What the downstream answered: its own reference for the side effect, plus anything it reported. */
export type DownstreamEvidence = { downstreamRef: string; [key: string]: unknown };

export type TaskEvidence = DownstreamEvidence & { source: 'response' | 'query' | 'repair' | 'callback' };

/** A long-running task's durable wait: its timers as absolute times, fixed at acceptance. */
export type TaskWait = {
  acceptedAt: string;
  downstreamRef: string;
  /** Silence for this long means: query the downstream by correlation id. */
  heartbeatSeconds: number;
  atRiskFrom: string;
  expectedBy: string;
  /** Past this the task falls out: the hard limit of the wait. */
  hardLimitAt: string;
  /** Last word from the downstream (a notice or a query answer). */
  lastHeardAt: string;
  /** Queries while waiting; the pause before the next one doubles from `firstCheckSeconds` up to the heartbeat. */
  checks: number;
  firstCheckSeconds: number;
  jeopardy?: 'atRisk' | 'breached';
};

export type ProgressNotice = { sequence: number; at: string; message?: string };

export type TaskProgress = { count: number; lastSequence: number; lastAt: string; recent: ProgressNotice[] };

export type TaskPayload = Record<string, unknown>;

/** Blueprint fields: fixed once planned. */
export type PlannedTask = {
  id: string;
  orderItemId: string;
  action: TaskAction;
  type: TaskType;
  ruleVersion: string;
  downstream: Downstream;
  dependsOn: string[];
  /** Downstream idempotency key: the same on every attempt of this task. */
  correlationId: string;
  ownerTeam: OwnerTeam;
  payload: TaskPayload;
  compensationOf?: string;
};

export type TaskExecution = {
  state: TaskState;
  /** Dispatches so far; never decreases. */
  attempts: number;
  /** Queries by correlation id so far; never decreases. */
  queries: number;
  /** Counters at the last repair: the retry budget counts from here. */
  budgetFrom: { attempts: number; queries: number };
  lastErrorCode?: string;
  evidence?: TaskEvidence;
  dispatchedAt?: string;
  unknownSince?: string;
  /** When the last dispatch gave up waiting for an answer: its request left us before this. */
  outcomeUnknownAt?: string;
  lastQueriedAt?: string;
  lastQueryResult?: QueryResult;
  completedAt?: string;
  /** The downstream accepted the work and finishes later (see `long-running.ts`). */
  wait?: TaskWait;
  /** Progress notices of the downstream: a count and the last few. */
  progress?: TaskProgress;
};

/** NO_ANSWER: the query itself timed out or was refused; it proves nothing either way. */
export type QueryResult = 'DONE' | 'NOT_FOUND' | 'PENDING' | 'NO_ANSWER';

export type FulfillmentTask = PlannedTask & TaskExecution;

/**
 * When the order was decomposed, by which rules, into which tasks. The tasks' definitions live on
 * the tasks themselves (`FulfillmentTask` extends `PlannedTask`): a second copy here would make
 * every write of the order item, which every workflow step makes, pay for it again.
 */
export type FulfillmentPlan = {
  ruleVersion: string;
  plannedAt: string;
  taskIds: readonly string[];
};

/** The billing handoff covers the whole order, not one item. */
export const ORDER_LEVEL_ITEM = 'order';

export const ownerTeamOf = (downstream: Downstream): OwnerTeam =>
  downstream === 'billing' ? 'billing-ops' : 'network-ops';

export const newExecution = (): TaskExecution => ({
  state: 'PENDING',
  attempts: 0,
  queries: 0,
  budgetFrom: { attempts: 0, queries: 0 },
});
