import {
  downstreamRefusalCounts,
  listRefusedNotices,
  orderRefusalCounts,
} from '#adapters/refused-notice-store';
import { refusalDay } from '#domain/order/refused-notice';
import { apiHandler } from '#plumbing/http/api-handler';
import { isSortKey, listCursor } from '#plumbing/http/cursor';
import { refusedNoticesQuery } from '#plumbing/http/ops-schemas';
import { parseQuery } from '#plumbing/http/query';

/**
 * Ops: the notices one downstream sent that the orders refused (unknown task, task finished or
 * never sent), newest first, one page at a time, with today's counts by code for that downstream
 * and, given `orderId`, that order's counts.
 */
export const handler = apiHandler({
  operation: 'refused-notices',
  roles: ['ops'],
  handle: async (req) => {
    const { downstream, orderId, limit } = parseQuery(refusedNoticesQuery, req.query);
    const { after, next } = listCursor(
      { principal: req.principal, route: 'refused-notices', query: req.query },
      isSortKey,
    );
    const day = refusalDay(req.now);
    const [page, counts, orderCounts] = await Promise.all([
      listRefusedNotices(downstream, limit, after),
      downstreamRefusalCounts(downstream, day),
      orderId ? orderRefusalCounts(orderId) : undefined,
    ]);
    const cursor = next(page.last);
    return {
      status: 200,
      body: {
        downstream,
        day,
        counts,
        ...(orderCounts ? { orderCounts } : {}),
        items: page.items,
        ...(cursor ? { cursor } : {}),
      },
    };
  },
});
