import { loadCurrentCatalog, savePublishedRelease } from '#adapters/catalog-store';
import type { CommandContext } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import { publishRelease } from '#domain/catalog/publish-release';
import { decideOnCurrent } from '../optimistic-concurrency.ts';

/** Makes `release` current; a racing publish means checking compatibility against the winner. */
export const publishCatalog = async (
  release: CatalogRelease,
  ctx: CommandContext,
): Promise<CatalogRelease> => {
  await decideOnCurrent({
    load: async () => {
      const current = await loadCurrentCatalog();
      return { aggregate: current, version: current.version };
    },
    decide: ({ aggregate: current }) => {
      const { pointer, events } = publishRelease(current, release, ctx.now);
      return { aggregate: pointer, events, result: undefined };
    },
    save: (decided, expectedVersion) =>
      savePublishedRelease(decided.aggregate, expectedVersion, decided.events, ctx),
  });
  return release;
};
