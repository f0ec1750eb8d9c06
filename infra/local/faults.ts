import { z } from 'zod';
import { type FunctionName, functions, type TableName, tables } from '#topology';

/**
 * Faults an operator (or a chaos test) injects into the local stack's own dependencies, beside the
 * downstream simulators' `/sim/...` faults. Local stack only: the cloud has AWS FIS for the Lambda
 * faults (infra/constructs/fault-injection.ts) and no such API.
 */

const count = z.number().int().min(1).max(1_000_000).optional();
const percentage = z.number().int().min(1).max(100).default(100);
const delay = z.number().int().min(0).max(120_000);

/** The three Lambda faults AWS FIS injects (aws:lambda:invocation-*), with FIS's parameter names. */
export const functionFaultSchema = z
  .strictObject({
    /** aws:lambda:invocation-add-delay */
    startupDelayMilliseconds: delay.optional(),
    /** aws:lambda:invocation-error */
    error: z.boolean().optional(),
    /** aws:lambda:invocation-http-integration-response: the caller sees this status instead. */
    statusCode: z.number().int().min(100).max(599).optional(),
    /** With `error` or `statusCode`: false runs the handler first (its effects happen, its answer is lost). */
    preventExecution: z.boolean().default(true),
    invocationPercentage: percentage,
    count,
  })
  .refine((f) => f.startupDelayMilliseconds !== undefined || f.error || f.statusCode !== undefined, {
    message: 'one of startupDelayMilliseconds, error, statusCode is required',
  });
export type FunctionFault = z.infer<typeof functionFaultSchema>;

export const throttleErrors = ['ProvisionedThroughputExceededException', 'ThrottlingException'] as const;
export const dependencyErrors = [...throttleErrors, 'InternalServerError', 'TimeoutError'] as const;
export type DependencyError = (typeof dependencyErrors)[number];

export const tableFaultSchema = z
  .strictObject({
    error: z.enum(dependencyErrors).optional(),
    latencyMs: delay.optional(),
    /** Only items whose partition key starts with this (e.g. `CATALOG#`). */
    keyPrefix: z.string().min(1).max(100).optional(),
    operations: z
      .array(z.enum(['read', 'write']))
      .min(1)
      .default(['read', 'write']),
    percentage,
    count,
  })
  .refine((f) => f.error !== undefined || f.latencyMs !== undefined, {
    message: 'error or latencyMs is required',
  });
export type TableFault = z.infer<typeof tableFaultSchema>;

export const busFaultSchema = z.strictObject({
  /** Every PutEvents call fails until cleared. */
  unavailable: z.boolean().default(false),
  /** The next n calls fail as a whole. */
  refuseCalls: z.number().int().min(0).max(1_000_000).default(0),
  /** The next n entries fail inside otherwise successful calls (FailedEntryCount > 0). */
  failEntries: z.number().int().min(0).max(1_000_000).default(0),
  /** The next n events that match a rule reach each of their targets twice (EventBridge is at-least-once). */
  duplicateDeliveries: z.number().int().min(0).max(1_000_000).default(0),
  /** Only events of these detail-types are duplicated. */
  duplicateDetailTypes: z.array(z.string().min(1).max(256)).min(1).optional(),
});

export const startExecutionFaultSchema = z.strictObject({
  error: z
    .enum(['ThrottlingException', 'ExecutionLimitExceeded', 'ServiceUnavailable'])
    .default('ServiceUnavailable'),
  count,
});
export type StartExecutionFault = z.infer<typeof startExecutionFaultSchema>;

export const streamsFaultSchema = z.strictObject({ paused: z.boolean() });

/** Catalog and price book are one immutable release item read through its pointer. */
export const catalogFaultSchema = z.strictObject({
  error: z.enum(dependencyErrors).default('TimeoutError'),
  count,
});

type Budgeted<T> = T & { remaining?: number };

const take = <T extends { count?: number; remaining?: number }>(
  fault: T | undefined,
  pct = 100,
): T | undefined => {
  if (!fault) return undefined;
  if (fault.remaining !== undefined && fault.remaining <= 0) return undefined;
  if (pct < 100 && Math.random() * 100 >= pct) return undefined;
  if (fault.remaining !== undefined) fault.remaining--;
  return fault;
};

export const catalogKeyPrefix = 'CATALOG#';

export class LocalFaults {
  readonly functions = new Map<FunctionName, Budgeted<FunctionFault>>();
  readonly tables = new Map<TableName, Budgeted<TableFault>>();
  startExecution?: Budgeted<StartExecutionFault>;
  streamsPaused = false;

  isFunction(name: string): name is FunctionName {
    return Object.hasOwn(functions, name);
  }

  isTable(name: string): name is TableName {
    return Object.hasOwn(tables, name);
  }

  setFunction(name: FunctionName, fault: FunctionFault): void {
    this.functions.set(name, { ...fault, remaining: fault.count });
  }

  setTable(name: TableName, fault: TableFault): void {
    this.tables.set(name, { ...fault, remaining: fault.count });
  }

  setCatalog(fault: z.infer<typeof catalogFaultSchema>): void {
    this.setTable('aggregates', {
      error: fault.error,
      keyPrefix: catalogKeyPrefix,
      operations: ['read'],
      percentage: 100,
      count: fault.count,
    });
  }

  setStartExecution(fault: StartExecutionFault): void {
    this.startExecution = { ...fault, remaining: fault.count };
  }

  /** The fault that applies to this invocation, if any (consumes one of its `count`). */
  forInvocation(name: FunctionName): FunctionFault | undefined {
    const fault = this.functions.get(name);
    return take(fault, fault?.invocationPercentage);
  }

  forTableCall(name: TableName, kind: 'read' | 'write', partitionKeys: string[]): TableFault | undefined {
    const fault = this.tables.get(name);
    if (!fault?.operations.includes(kind)) return undefined;
    if (fault.keyPrefix && !partitionKeys.some((k) => k.startsWith(fault.keyPrefix ?? ''))) return undefined;
    return take(fault, fault.percentage);
  }

  forStartExecution(): StartExecutionFault | undefined {
    return take(this.startExecution);
  }

  clear(): void {
    this.functions.clear();
    this.tables.clear();
    this.startExecution = undefined;
    this.streamsPaused = false;
  }

  /** Active faults, for GET /ops/local/faults and /health. */
  snapshot() {
    const live = <T extends { remaining?: number }>(f: T) => f.remaining === undefined || f.remaining > 0;
    return {
      functions: Object.fromEntries([...this.functions].filter(([, f]) => live(f))),
      tables: Object.fromEntries([...this.tables].filter(([, f]) => live(f))),
      startExecution: this.startExecution && live(this.startExecution) ? this.startExecution : undefined,
      streamsPaused: this.streamsPaused,
    };
  }
}
