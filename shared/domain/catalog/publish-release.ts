import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { validateRelease } from '#domain/catalog/validate-release';
import { DomainError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';

/** The current release and when each release became current. */
export type CatalogPointer = {
  current: CatalogRelease;
  history: { catalogVersion: string; priceBookVersion: string; publishedAt: string }[];
};

/**
 * Publishing is a compatibility-checked switch of the current pointer; the release itself is
 * stored once and never changed. Open quotes become STALE by comparison at read time. Before the
 * first publish the history starts with the release that was current (the demo release).
 */
export const publishRelease = (
  current: { release: CatalogRelease; pointer?: CatalogPointer },
  release: CatalogRelease,
  now: string,
): { pointer: CatalogPointer; events: DomainEvent[] } => {
  const reasons = validateRelease(release, current.release);
  if (reasons.length > 0) {
    throw new DomainError('CATALOG_INCOMPATIBLE', 'The release is not compatible', { reasons });
  }
  const history = current.pointer?.history ?? [
    {
      catalogVersion: current.release.catalogVersion,
      priceBookVersion: current.release.priceBookVersion,
      publishedAt: current.release.effectiveFrom,
    },
  ];
  return {
    pointer: {
      current: release,
      history: [
        ...history,
        {
          catalogVersion: release.catalogVersion,
          priceBookVersion: release.priceBookVersion,
          publishedAt: now,
        },
      ],
    },
    events: [
      {
        eventType: 'CatalogReleasePublishedEvent',
        domain: 'catalog',
        resource: {
          catalogVersion: release.catalogVersion,
          priceBookVersion: release.priceBookVersion,
          effectiveFrom: release.effectiveFrom,
          previousPriceBookVersion: current.release.priceBookVersion,
        },
      },
    ],
  };
};
