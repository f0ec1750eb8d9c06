import { listDeliveries } from '#adapters/hub-store';
import { apiHandler } from '#plumbing/http/api-handler';
import { HttpError } from '#plumbing/http/http-error';
import { hubDeliveriesQuery } from '#plumbing/http/ops-schemas';

const query = hubDeliveriesQuery;

/** Ops: the delivery log of one hub subscription, newest first, one page at a time. */
export const handler = apiHandler({
  operation: 'hub-deliveries',
  roles: ['ops'],
  handle: async (req) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) {
      throw new HttpError(400, 'MALFORMED_REQUEST', 'Query parameters failed validation', {
        fields: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
    }
    const page = await listDeliveries(parsed.data.subscriptionId, parsed.data.limit, parsed.data.cursor);
    return { status: 200, body: { subscriptionId: parsed.data.subscriptionId, ...page } };
  },
});
