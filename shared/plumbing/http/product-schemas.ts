import * as z from 'zod/mini';
import { productStatuses } from '#domain/inventory/product-status';
import { text } from './schema-helpers.ts';
import { tmfPageQuery } from './tmf-list.ts';

/** TMF637 listProduct query (built as the schemas are: quote-schemas.ts). */
export const productListQuery = () =>
  z.object({
    ...tmfPageQuery(),
    'relatedParty.id': z.optional(text(1, 128)),
    accountId: z.optional(text(1, 128)),
    status: z.optional(z.enum(productStatuses)),
    'productOffering.id': z.optional(text(1, 100)),
  });
