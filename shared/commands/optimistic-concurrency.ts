import { type Stored, VersionConflict } from '#adapters/aggregate-store';
import { DomainError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';

/**
 * How often one command reads, decides and writes before a conflict reaches its caller: enough to
 * outlast a workflow that writes the same aggregate step after step, few enough to stay fast.
 */
export const attemptBudget = 5;

/** The version a client edited, from If-Match (`"3"`, `W/"3"`); NaN when it names no version. */
export const versionOfIfMatch = (ifMatch: string): number => {
  const text = ifMatch.replace(/^W\//, '').replace(/"/g, '').trim();
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
};

const preconditionFailed = (currentVersion: number) =>
  new DomainError('PRECONDITION_FAILED', `The resource is at version ${currentVersion}`, { currentVersion });

/**
 * What a command decided: the new aggregate and its events. Without events nothing is written,
 * unless `changed` says the aggregate changed all the same (a record no one subscribes to).
 */
export type Decided<T, R> = { aggregate: T; events: readonly DomainEvent[]; result: R; changed?: boolean };

/**
 * Load, decide, save: the optimistic-concurrency policy of every command. A client that sent
 * If-Match (`expectedVersion`) edited that version and gets 412 when it is not current, however
 * late it learns so. Without it the client asked for the change on whatever is current, so a
 * racing writer only means reading again and deciding again, within the attempt budget.
 */
export const decideOnCurrent = async <S, R, T = S>(spec: {
  load: () => Promise<Stored<S>>;
  expectedVersion?: number;
  decide: (stored: Stored<S>) => Decided<T, R> | Promise<Decided<T, R>>;
  save: (decided: Decided<T, R>, expectedVersion: number) => Promise<number>;
}): Promise<Decided<T, R> & { version: number }> => {
  for (let attempt = 1; ; attempt++) {
    const stored = await spec.load();
    if (spec.expectedVersion !== undefined && stored.version !== spec.expectedVersion)
      throw preconditionFailed(stored.version);
    const decided = await spec.decide(stored);
    if (!(decided.changed ?? decided.events.length > 0)) return { ...decided, version: stored.version };
    try {
      return { ...decided, version: await spec.save(decided, stored.version) };
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      if (spec.expectedVersion !== undefined) throw preconditionFailed((await spec.load()).version);
      if (attempt >= attemptBudget) throw error;
      // Full jitter: writers that collided on the same aggregate (a large order's parallel task
      // steps) do not collide again at once.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
    }
  }
};

/**
 * A write that creates something: a conflict means a racing transaction held one of its keys,
 * and `settle` says what that race decided (throwing the answer) before the next attempt.
 */
export const createOnce = async <R>(write: () => Promise<R>, settle: () => Promise<void>): Promise<R> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof VersionConflict) || attempt >= attemptBudget) throw error;
      // Long enough for the racing transaction to be readable.
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      await settle();
    }
  }
};
