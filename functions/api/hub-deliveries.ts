import * as z from 'zod/mini';
import { listDeliveries, loadHealth } from '#adapters/hub-store';
import { apiHandler } from '#plumbing/http/api-handler';
import { HttpError } from '#plumbing/http/http-error';
import { text } from '#plumbing/http/schema-helpers';

const query = z.object({
  subscriptionId: text(1, 100),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  cursor: z.optional(text(1, 500)),
});

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
    const { subscriptionId } = parsed.data;
    const [page, health] = await Promise.all([
      listDeliveries(subscriptionId, parsed.data.limit, parsed.data.cursor),
      loadHealth([subscriptionId]),
    ]);
    // Health: failures in a row, back-off and suspension (notification/delivery-budget.ts).
    return { status: 200, body: { subscriptionId, health: health.get(subscriptionId), ...page } };
  },
});
