import { publishCatalog } from '#commands/catalog/publish-catalog';
import { catalogReleaseSchema } from '#domain/catalog/catalog-release-schema';
import { commandHandler } from '#plumbing/http/command-handler';

export const handler = commandHandler({
  operation: 'catalog-publish',
  roles: ['ops'],
  body: catalogReleaseSchema,
  handle: async (req) => {
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    return { status: 201, body: await publishCatalog(req.body, ctx) };
  },
});
