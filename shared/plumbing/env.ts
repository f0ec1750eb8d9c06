import { resourceEnv, type StateMachineName, type TableName } from '#topology';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
};

/** Physical resource names, read lazily so a handler module can load before its env is set. */
export const env = {
  table: (table: TableName): string => required(resourceEnv.tables[table]),
  eventBusName: (): string => required(resourceEnv.eventBus),
  stateMachineArn: (name: StateMachineName): string => required(resourceEnv.stateMachines[name]),
  downstreamUrl: (system: keyof typeof resourceEnv.downstream): string =>
    required(resourceEnv.downstream[system]),
  /** Base of every href (responses and notifications): configuration, never a request header. */
  publicBaseUrl: (): string => required(resourceEnv.publicBaseUrl),
  /**
   * Literal hosts hub callbacks may reach with plain HTTP on any port: set only by the local
   * stack (its test listeners); in AWS none, so callbacks are public HTTPS on 443.
   */
  hubCallbackPolicy: () => ({
    localHosts: (process.env.HUB_LOCAL_CALLBACK_HOSTS ?? '').split(',').filter((h) => h !== ''),
  }),
  downstreamTimeoutMs: (): number => Number(process.env.DOWNSTREAM_TIMEOUT_MS ?? 8000),
  /** How long an Express child execution may run (Express's 5 minutes; the local stack's may be scaled). */
  /** Compresses downstream time (catalog task timers) on the local stack; 1 in AWS. */
  downstreamTimeScale: (): number => Number(process.env.DOWNSTREAM_TIME_SCALE ?? 1),
  expressChildLimitMs: (): number => Number(process.env.EXPRESS_CHILD_LIMIT_MS ?? 300_000),
  /** How long the downstream may still record a request after it left us (its contract; no default). */
  downstreamInFlightWindowMs: (system: keyof typeof resourceEnv.downstreamInFlightWindowMs): number => {
    const name = resourceEnv.downstreamInFlightWindowMs[system];
    const value = Number(required(name));
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of ms`);
    return value;
  },
};
