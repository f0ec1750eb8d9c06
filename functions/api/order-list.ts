import { listOrders } from '#adapters/order-repository';
import { decodeCursor, encodeCursor } from '#domain/access/list-keys';
import { toProductOrderResource } from '#domain/order/product-order-resource';
import { parseDateRange, parseFields, selectFields } from '#domain/tmf/list-query';
import { apiHandler } from '#plumbing/http/api-handler';
import { HttpError } from '#plumbing/http/http-error';
import { baseUrlOf } from '#plumbing/http/order-http';
import { listQuery } from '#plumbing/http/order-schemas';
import { exactTotal } from '#plumbing/http/tmf-list';

const querySchema = listQuery();

const malformed = (fields: { field: string; message: string }[]) =>
  new HttpError(400, 'MALFORMED_REQUEST', 'Query parameters failed validation', { fields });

/**
 * TMF622 list: filters `state`, `externalId`, `accountId`, `quoteId`, `orderDate.gt|gte|lt|lte`;
 * `fields` selection; `limit`/`offset` (and `cursor` for the next page, from `X-Next-Cursor`). Only the
 * page is read; `X-Total-Count` is sent only where it is exact without reading the list (a quote's
 * order), `X-Result-Count` always.
 */
export const handler = apiHandler({
  operation: 'order-list',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const query = querySchema.safeParse(req.query);
    if (!query.success)
      throw malformed(query.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
    const { cursor, fields: rawFields, ...filter } = query.data;
    const fields = parseFields(rawFields);
    const orderDate = parseDateRange(req.query, 'orderDate');
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && after === undefined)
      throw malformed([{ field: 'cursor', message: 'not a cursor this API returned' }]);
    const page = await listOrders(req.principal, {
      ...filter,
      ...(after ? { after } : {}),
      ...(orderDate ? { orderDate } : {}),
    });
    const base = baseUrlOf(req.headers);
    return {
      status: 200,
      body: page.orders.map((o) => selectFields(toProductOrderResource(o, base), fields)),
      headers: {
        'X-Result-Count': String(page.orders.length),
        ...(page.total !== undefined
          ? { 'X-Total-Count': String(page.total) }
          : exactTotal({ offset: filter.offset, cursor }, page.orders.length, page.next)),
        ...(page.next ? { 'X-Next-Cursor': encodeCursor(page.next) } : {}),
      },
    };
  },
});
