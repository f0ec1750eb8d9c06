import type { ProductOrder } from '#domain/order/product-order';
import { ORDERING_PATH, toProductOrderResource } from '#domain/order/product-order-resource';
import type { ApiResponse } from './api-handler.ts';

/** Absolute hrefs from the host the client called (API Gateway passes Host and the protocol). */
export const baseUrlOf = (headers: Record<string, string>): string => {
  const host = headers['x-forwarded-host'] ?? headers.host;
  if (!host) return '';
  return `${headers['x-forwarded-proto'] ?? 'http'}://${host}`;
};

export const orderPath = (orderId: string) => `${ORDERING_PATH}/productOrder/${orderId}`;

export const orderResponse = (
  status: number,
  order: ProductOrder,
  headers: Record<string, string>,
  extraHeaders: Record<string, string> = {},
): ApiResponse => ({
  status,
  body: toProductOrderResource(order, baseUrlOf(headers)),
  headers: { ETag: `"${order.version}"`, ...extraHeaders },
});
