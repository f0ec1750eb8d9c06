import { loadAggregate, type Stored, saveAggregate } from '#adapters/aggregate-store';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import type { CatalogPointer } from '#domain/catalog/publish-release';
import type { DomainEvent } from '#domain/events';
import { DependencyUnavailable } from '#plumbing/http/http-error';

export type { CatalogPointer };

export const catalogPointerId = 'current';

/** How the pointer is read: on its own, or taken from a batch read with the command's aggregate. */
export type CatalogRead = () => Promise<Stored<CatalogPointer> | undefined>;
const readPointer: CatalogRead = () => loadAggregate<CatalogPointer>('CATALOG', catalogPointerId);

/**
 * The current release, read consistently on every command: a cached catalog is how stale
 * prices are born. Before the first publish, the demo release of the contract is current.
 */
export const loadCurrentCatalog = async (
  read: CatalogRead = readPointer,
): Promise<{
  release: CatalogRelease;
  version: number;
  pointer?: CatalogPointer;
}> => {
  const stored = await read();
  lastRead = stored ? stored.aggregate.current : demoCatalogRelease;
  if (!stored) return { release: demoCatalogRelease, version: 0 };
  return { release: stored.aggregate.current, version: stored.version, pointer: stored.aggregate };
};

let lastRead: CatalogRelease | undefined;

/**
 * The current release, or the code's 503 when it cannot be read: whatever needs the current
 * price book (price, submit, approve, accept) refuses rather than use an older one.
 */
export const requireCurrentCatalog = async (
  unavailableCode: string,
  read: CatalogRead = readPointer,
): Promise<CatalogRelease> => {
  try {
    return (await loadCurrentCatalog(read)).release;
  } catch (error) {
    if (!(error instanceof DependencyUnavailable)) throw error;
    throw new DependencyUnavailable(
      'The current catalog and price book cannot be read, so the price cannot be proven current',
      unavailableCode,
      { dependency: 'catalog' },
    );
  }
};

/**
 * For draft work only (editing lines, reading a quote): when the pointer cannot be read, the
 * release this container read last, flagged `degraded` so the caller marks prices unproven.
 */
export const catalogForDrafts = async (
  read: CatalogRead = readPointer,
): Promise<{ release: CatalogRelease; degraded: boolean }> => {
  try {
    return { release: (await loadCurrentCatalog(read)).release, degraded: false };
  } catch (error) {
    if (error instanceof DependencyUnavailable && lastRead) return { release: lastRead, degraded: true };
    if (error instanceof DependencyUnavailable)
      throw new DependencyUnavailable('The catalog cannot be read', 'CATALOG_UNAVAILABLE', {
        dependency: 'catalog',
      });
    throw error;
  }
};

/** The new pointer with its events, and the release stored once under its version (never replaced). */
export const savePublishedRelease = (
  pointer: CatalogPointer,
  expectedVersion: number,
  events: readonly DomainEvent[],
  ctx: { correlationId: string; now: string },
): Promise<number> =>
  saveAggregate({
    kind: 'CATALOG',
    id: catalogPointerId,
    expectedVersion,
    aggregate: pointer,
    events,
    correlationId: ctx.correlationId,
    now: ctx.now,
    extraItems: [
      {
        item: {
          pk: `CATALOG#${pointer.current.catalogVersion}`,
          sk: 'RELEASE',
          itemType: 'catalogRelease',
          release: pointer.current,
        },
        mustNotExist: true,
      },
    ],
  });
