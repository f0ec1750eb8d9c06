import { audienceOf } from '#domain/access/visibility';
import type { Actor } from '#domain/actor';
import type { ProductOrder } from '#domain/order/product-order';
import { ORDERING_PATH, toProductOrderResource } from '#domain/order/product-order-resource';
import { env } from '#plumbing/env';
import type { ApiResponse } from './api-handler.ts';

/**
 * Absolute hrefs from configuration. Never from Host or X-Forwarded-Host: a client could make
 * the API hand out links to a host of its choosing (and poison any cache in between).
 */
export const baseUrlOf = (_headers?: Record<string, string>): string => env.publicBaseUrl();

export const orderPath = (orderId: string) => `${ORDERING_PATH}/productOrder/${orderId}`;

export const orderResponse = (
  status: number,
  order: ProductOrder,
  req: { headers: Record<string, string>; principal: Pick<Actor, 'role'> },
  extraHeaders: Record<string, string> = {},
): ApiResponse => ({
  status,
  body: toProductOrderResource(order, baseUrlOf(req.headers), audienceOf(req.principal)),
  headers: { ETag: `"${order.version}"`, ...extraHeaders },
});
