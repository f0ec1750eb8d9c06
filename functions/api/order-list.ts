import { listOrders } from '#adapters/order-repository';
import { audienceOf } from '#domain/access/visibility';
import { toProductOrderResource } from '#domain/order/product-order-resource';
import { parseDateRange, parseFields, selectFields } from '#domain/tmf/list-query';
import { apiHandler } from '#plumbing/http/api-handler';
import { isSortKey, listCursor } from '#plumbing/http/cursor';
import { baseUrlOf } from '#plumbing/http/order-http';
import { listQuery } from '#plumbing/http/order-schemas';
import { parseQuery } from '#plumbing/http/query';
import { exactTotal } from '#plumbing/http/tmf-list';

const querySchema = listQuery();

/**
 * TMF622 list: filters `state`, `externalId`, `accountId`, `quoteId`, `orderDate.gt|gte|lt|lte`;
 * `fields` selection; `limit`/`offset` (and `cursor` for the next page, from `X-Next-Cursor`). Only the
 * page is read; `X-Total-Count` is sent only where it is exact without reading the list (a quote's
 * order), `X-Result-Count` always.
 */
export const handler = apiHandler({
  operation: 'order-list',
  roles: ['partner', 'sales', 'approver', 'ops', 'support'],
  handle: async (req) => {
    const {
      state,
      quoteId,
      accountId,
      channelId,
      externalId,
      limit,
      offset,
      fields: rawFields,
    } = parseQuery(querySchema, req.query);
    const filter = { state, quoteId, accountId, channelId, externalId, limit, offset };
    const fields = parseFields(rawFields);
    const orderDate = parseDateRange(req.query, 'orderDate');
    const { after, next } = listCursor(
      { principal: req.principal, route: 'order-list', query: req.query },
      isSortKey,
    );
    const page = await listOrders(req.principal, {
      ...filter,
      ...(after ? { after } : {}),
      ...(orderDate ? { orderDate } : {}),
    });
    const base = baseUrlOf(req.headers);
    const nextCursor = next(page.next);
    return {
      status: 200,
      body: page.orders.map((o) =>
        selectFields(toProductOrderResource(o, base, audienceOf(req.principal)), fields),
      ),
      headers: {
        'X-Result-Count': String(page.orders.length),
        ...(page.total !== undefined
          ? { 'X-Total-Count': String(page.total) }
          : exactTotal({ offset, cursor: req.query.cursor }, page.orders.length, page.next)),
        ...(nextCursor ? { 'X-Next-Cursor': nextCursor } : {}),
      },
    };
  },
});
