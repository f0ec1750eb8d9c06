import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogReleaseSchema } from '#domain/catalog/catalog-release-schema';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { defaultTaskTimers, MAX_HARD_LIMIT_SECONDS } from '#domain/order/long-running';

const day = 86_400;
const withTimers = (taskTimers: unknown) =>
  catalogReleaseSchema.safeParse({ ...demoCatalogRelease, taskTimers });

describe('task timers in the catalog release', () => {
  it('the demo release carries them per task type (fiber days, activation minutes) and validates', () => {
    expect(catalogReleaseSchema.safeParse(demoCatalogRelease).success).toBe(true);
    expect(demoCatalogRelease.taskTimers?.ACCESS_PROVISION?.expectedSeconds).toBe(10 * day);
    expect(demoCatalogRelease.taskTimers?.SERVICE_ACTIVATION?.expectedSeconds).toBe(15 * 60);
  });

  it('refuses a hard limit before the expected duration, an unknown task type, or a limit the workflow cannot outlast', () => {
    const fiber = { expectedSeconds: 4 * day, heartbeatSeconds: day, hardLimitSeconds: 6 * day };
    expect(withTimers({ ACCESS_PROVISION: fiber }).success).toBe(true);
    expect(withTimers({ ACCESS_PROVISION: { ...fiber, hardLimitSeconds: day } }).success).toBe(false);
    expect(withTimers({ TELEPORT: fiber }).success).toBe(false);
    expect(withTimers({ ACCESS_PROVISION: { ...fiber, hardLimitSeconds: 60 * day } }).success).toBe(false);
  });

  it('the Standard fulfillment workflow outlasts the longest hard limit (it must not time out while a task may still wait)', () => {
    const asl = JSON.parse(readFileSync('state-machines/fulfillment.asl.json', 'utf8')) as {
      TimeoutSeconds: number;
    };
    expect(asl.TimeoutSeconds).toBeGreaterThan(MAX_HARD_LIMIT_SECONDS);
    for (const t of Object.values(defaultTaskTimers))
      expect(t.hardLimitSeconds).toBeLessThanOrEqual(MAX_HARD_LIMIT_SECONDS);
    // The local runner arms the execution timeout with setTimeout: longer than 2^31 - 1 ms fires at once.
    expect(asl.TimeoutSeconds * 1000).toBeLessThan(2 ** 31);
  });
});
