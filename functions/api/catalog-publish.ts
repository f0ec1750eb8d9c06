import { saveAggregate } from '#adapters/aggregate-store';
import { type CatalogPointer, catalogPointerId, loadCurrentCatalog } from '#adapters/catalog-store';
import { catalogReleaseSchema } from '#domain/catalog/catalog-release-schema';
import { validateRelease } from '#domain/catalog/validate-release';
import { DomainError } from '#domain/errors';
import { commandHandler } from '#plumbing/http/command-handler';

/**
 * Publishing is a compatibility-checked switch of the current pointer; the release itself is
 * stored once and never changed. Open quotes become STALE by comparison at read time.
 */
export const handler = commandHandler({
  operation: 'catalog-publish',
  roles: ['ops'],
  body: catalogReleaseSchema,
  handle: async (req) => {
    const current = await loadCurrentCatalog();
    const release = req.body;
    const reasons = validateRelease(release, current.release);
    if (reasons.length > 0) {
      throw new DomainError('CATALOG_INCOMPATIBLE', 'The release is not compatible', { reasons });
    }
    const pointer: CatalogPointer = {
      current: release,
      history: [
        ...(current.pointer?.history ?? [
          {
            catalogVersion: current.release.catalogVersion,
            priceBookVersion: current.release.priceBookVersion,
            publishedAt: current.release.effectiveFrom,
          },
        ]),
        {
          catalogVersion: release.catalogVersion,
          priceBookVersion: release.priceBookVersion,
          publishedAt: req.now,
        },
      ],
    };
    await saveAggregate({
      kind: 'CATALOG',
      id: catalogPointerId,
      expectedVersion: current.version,
      aggregate: pointer,
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
      correlationId: req.correlationId,
      now: req.now,
      extraItems: [
        {
          item: {
            pk: `CATALOG#${release.catalogVersion}`,
            sk: 'RELEASE',
            itemType: 'catalogRelease',
            release,
          },
          mustNotExist: true,
        },
      ],
    });
    return { status: 201, body: release };
  },
});
