import { z } from 'zod';
import { orderStates } from './order-schemas.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = text(200);
const page = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,2048}$/, 'opaque cursor from a previous page')
    .optional(),
};
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** GET /search/quotes (docs/api-contract.md); unknown parameters are refused. */
export const quoteSearchQuery = z.strictObject({
  customerName: text(100).optional(),
  quoteNumber: id.optional(),
  state: z.enum(['inProgress', 'pending', 'approved', 'accepted', 'rejected', 'cancelled']).optional(),
  offeringId: id.optional(),
  expiresBefore: instant.optional(),
  region: text(64).optional(),
  externalId: id.optional(),
  ...page,
});

/** GET /search/orders (docs/api-contract.md); unknown parameters are refused. */
export const orderSearchQuery = z.strictObject({
  orderId: id.optional(),
  accountId: id.optional(),
  state: z.enum(orderStates).optional(),
  falloutReason: text(64).optional(),
  downstreamSystem: z.enum(['provisioning', 'billing']).optional(),
  slaBreached: z.enum(['true', 'false']).optional(),
  productFamily: text(64).optional(),
  correlationId: id.optional(),
  ...page,
});
