import * as z from 'zod/mini';
import { changeActions } from '#domain/inventory/change-action';
import { lineReferencesShape } from '#domain/quote/line-references';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/**
 * A quote line that changes an installed product (MACD): `{action, productId, options?}`. The
 * offering, quantity and current configuration come from the product; `options` (modify) change it.
 */
export const changeLineInputSchema = () =>
  z.object({
    ...lineReferencesShape(),
    action: z.enum(changeActions),
    productId: text(128),
    options: z.optional(z.record(text(100), z.union([z.string().check(z.maxLength(200)), z.number()]))),
    discountPercent: z.optional(z.number().check(z.minimum(0), z.maximum(100))),
  });

export type ChangeLineBody = z.output<ReturnType<typeof changeLineInputSchema>>;

export const isChangeLine = (line: object): line is ChangeLineBody => 'productId' in line && 'action' in line;
