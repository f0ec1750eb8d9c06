import { loadCurrentCatalog } from '#adapters/catalog-store';
import type { TaskType } from '#domain/order/fulfillment-task';
import { type ScaledTimers, scaledTimers } from '#domain/order/long-running';
import { env } from '#plumbing/env';

/** The current catalog's timers of a task type, scaled for this environment; the defaults when it cannot be read. */
export const timersOf = async (type: TaskType): Promise<ScaledTimers> => {
  const release = await loadCurrentCatalog()
    .then((c) => c.release)
    .catch(() => undefined);
  return scaledTimers(type, release?.taskTimers, env.downstreamTimeScale());
};
