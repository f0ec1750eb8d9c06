import type { TableName } from '#topology';
import type { ResolvedPolicies } from './template-policies.ts';

export type LocalStackOptions = {
  /** API port; 0 picks a free one. */
  port: number;
  dataDir?: string;
  /** Scales Wait states and retry pauses of the state machines (1 = real time). */
  timeScale?: number;
  /** Compresses downstream time: the catalog's task timers and the simulators' long-running work (default: timeScale). */
  downstreamTimeScale?: number;
  /** How long dispatch waits for a downstream answer before calling the outcome unknown. */
  downstreamTimeoutMs?: number;
  /** How long the simulated downstreams may still record a request after it left us (both systems). */
  downstreamInFlightWindowMs?: number;
  scheduleIntervalMs?: number;
  logLevel?: string;
  /** Multiplies the per-channel usage plan limits of the local gateway (1 = as deployed). */
  throttleScale?: number;
  /** Changes the IAM policies resolved from the synthesized template before they are enforced (tests). */
  policies?: (resolved: ResolvedPolicies) => ResolvedPolicies;
  /**
   * Tallies transactions' write units as DynamoDB bills them, not as DynamoDB Local reports them
   * (infra/local/write-billing.ts); it reads each item a transaction names, so the bench asks for it.
   */
  billTransactions?: boolean;
};

export const physicalTableNames: Record<TableName, string> = {
  aggregates: 'cpq-oms-aggregates',
  idempotency: 'cpq-oms-idempotency',
  readModels: 'cpq-oms-read-models',
  search: 'cpq-oms-search',
};

export const localEventBus = 'cpq-oms-local-bus';
export const evidenceBucket = 'cpq-oms-evidence';

/** The simulators' promise: a request they receive is recorded within this long, or never. */
export const defaultInFlightWindowMs = 5000;
