import * as z from 'zod/mini';
import { lineReferencesShape } from '#domain/quote/line-references';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** A quote line as a client sends it on `/quotes` (create and replace lines). */
export const lineInputSchema = () =>
  z.object({
    ...lineReferencesShape(),
    offeringId: text(100),
    quantity: z.int(),
    options: z._default(z.record(text(100), z.union([z.string().check(z.maxLength(200)), z.number()])), {}),
    discountPercent: z.optional(z.number().check(z.minimum(0), z.maximum(100))),
  });

export type LineInput = z.input<ReturnType<typeof lineInputSchema>>;
