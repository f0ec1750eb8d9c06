import { listProducts } from '#adapters/product-repository';
import { toProductResource } from '#domain/inventory/product-resource';
import { selectFields } from '#domain/tmf/list-query';
import { apiHandler } from '#plumbing/http/api-handler';
import { baseUrlOf } from '#plumbing/http/order-http';
import { productListQuery } from '#plumbing/http/product-schemas';
import { tmfListRequest, tmfListResponse } from '#plumbing/http/tmf-list';

const querySchema = productListQuery();

/**
 * TMF637 listProduct: filters `relatedParty.id` (or `accountId`), `status`, `productOffering.id`;
 * `fields`, `limit`/`offset` and the `X-Next-Cursor` cursor as the TMF622 list. A partner sees its
 * own channel's products only.
 */
export const handler = apiHandler({
  operation: 'product-list',
  roles: ['partner', 'sales', 'approver', 'ops'],
  handle: async (req) => {
    const { filter, fields, after, next, position } = tmfListRequest(querySchema, req, 'product-list');
    const { 'relatedParty.id': party, 'productOffering.id': offeringId, accountId, ...rest } = filter;
    const account = party ?? accountId;
    const page = await listProducts(req.principal, {
      ...rest,
      ...(account ? { accountId: account } : {}),
      ...(offeringId ? { offeringId } : {}),
      ...(after ? { after } : {}),
    });
    const base = baseUrlOf(req.headers);
    return tmfListResponse(
      page.products.map((p) => selectFields(toProductResource(p, base), fields)),
      next(page.next),
      position,
    );
  },
});
