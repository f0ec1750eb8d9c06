import type { Construct } from 'constructs';
import { type FunctionName, type FunctionSpec, functions } from '#topology';

/** Lambda keeps this much of the account's concurrency unreserved; a deploy that would leave less fails. */
export const unreservedConcurrencyMinimum = 100;

export const concurrencyContextKeys = {
  /** The account's Lambda concurrent-executions quota in the target region (new accounts may have 10 or 50). */
  accountQuota: 'accountConcurrencyQuota',
  /** Multiplies every topology reservation (rounded up), e.g. 0.2 for a small test account. */
  scale: 'reservedConcurrencyScale',
  /** Per-function reservations over the scaled ones, e.g. `{"order-create": 20}` (JSON). */
  overrides: 'reservedConcurrency',
} as const;

const numberContext = (scope: Construct, key: string, fallback: number): number => {
  const raw: unknown = scope.node.tryGetContext(key) ?? fallback;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new Error(`CDK context "${key}" must be a non-negative number (got ${JSON.stringify(raw)})`);
  return value;
};

const overridesContext = (scope: Construct): Partial<Record<FunctionName, number>> => {
  const raw: unknown = scope.node.tryGetContext(concurrencyContextKeys.overrides) ?? {};
  const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [name, reserved] of entries) {
    if (!(name in functions))
      throw new Error(`CDK context "reservedConcurrency" names ${name}, not a function`);
    if (!Number.isInteger(reserved) || (reserved as number) < 0)
      throw new Error(`CDK context "reservedConcurrency" for ${name} must be a non-negative integer`);
  }
  return Object.fromEntries(entries) as Partial<Record<FunctionName, number>>;
};

/**
 * The reserved concurrency of each function for this deployment: the topology's, scaled, with
 * per-function overrides from context. Refuses (throws, so synth fails) a total the declared
 * account quota cannot hold with `unreservedConcurrencyMinimum` left over, which Lambda would
 * refuse at deploy time, one function into the stack update.
 */
export const reservedConcurrencyOf = (scope: Construct): Partial<Record<FunctionName, number>> => {
  const quota = numberContext(scope, concurrencyContextKeys.accountQuota, 1000);
  const scale = numberContext(scope, concurrencyContextKeys.scale, 1);
  const overrides = overridesContext(scope);
  const reserved: Partial<Record<FunctionName, number>> = {};
  for (const [name, spec] of Object.entries(functions) as [FunctionName, FunctionSpec][]) {
    const value =
      overrides[name] ??
      (spec.reservedConcurrency === undefined ? undefined : Math.ceil(spec.reservedConcurrency * scale));
    if (value !== undefined) reserved[name] = value;
  }
  const total = Object.values(reserved).reduce((sum, n) => sum + (n ?? 0), 0);
  if (total > quota - unreservedConcurrencyMinimum)
    throw new Error(
      `Reserved concurrency ${total} (${Object.entries(reserved)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}) does not fit the account concurrency quota ${quota}: Lambda keeps ` +
        `${unreservedConcurrencyMinimum} unreserved, so at most ${Math.max(0, quota - unreservedConcurrencyMinimum)} can be reserved. ` +
        `Lower it with -c ${concurrencyContextKeys.scale}=… or -c ${concurrencyContextKeys.overrides}='{"function": n}', ` +
        `or declare the quota the account has with -c ${concurrencyContextKeys.accountQuota}=….`,
    );
  return reserved;
};
