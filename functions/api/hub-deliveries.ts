import { listDeliveries, loadHealth } from '#adapters/hub-store';
import { apiHandler } from '#plumbing/http/api-handler';
import { isSortKey, listCursor } from '#plumbing/http/cursor';
import { hubDeliveriesQuery } from '#plumbing/http/ops-schemas';
import { parseQuery } from '#plumbing/http/query';

const query = hubDeliveriesQuery;

/** Ops: the delivery log of one hub subscription, newest first, one page at a time. */
export const handler = apiHandler({
  operation: 'hub-deliveries',
  roles: ['ops'],
  handle: async (req) => {
    const { subscriptionId, limit } = parseQuery(query, req.query);
    // The store's own continuation travels sealed: a client can only hand back what it was given.
    const { after, next } = listCursor(
      { principal: req.principal, route: 'hub-deliveries', query: req.query },
      isSortKey,
    );
    const [page, health] = await Promise.all([
      listDeliveries(subscriptionId, limit, after),
      loadHealth([subscriptionId]),
    ]);
    const cursor = next(page.cursor);
    // Health: failures in a row, back-off and suspension (notification/delivery-budget.ts).
    return {
      status: 200,
      body: {
        subscriptionId,
        health: health.get(subscriptionId),
        items: page.items,
        ...(cursor ? { cursor } : {}),
      },
    };
  },
});
