import { loadAggregate } from '#adapters/aggregate-store';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';

export type CatalogPointer = {
  current: CatalogRelease;
  history: { catalogVersion: string; priceBookVersion: string; publishedAt: string }[];
};

export const catalogPointerId = 'current';

/**
 * The current release, read consistently on every command: a cached catalog is how stale
 * prices are born. Before the first publish, the demo release of the contract is current.
 */
export const loadCurrentCatalog = async (): Promise<{
  release: CatalogRelease;
  version: number;
  pointer?: CatalogPointer;
}> => {
  const stored = await loadAggregate<CatalogPointer>('CATALOG', catalogPointerId);
  if (!stored) return { release: demoCatalogRelease, version: 0 };
  return { release: stored.aggregate.current, version: stored.version, pointer: stored.aggregate };
};
