import type { Role } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';

/** The release as `GET /catalog` returns it: partners never see cost. */
export function toCatalogResource(release: CatalogRelease, role: Role): CatalogRelease {
  if (role !== 'partner') return release;
  return {
    ...release,
    offerings: release.offerings.map(({ monthlyCostMinor: _cost, ...offering }) => offering),
  };
}
