import * as z from 'zod/mini';
import { lineReferencesShape } from '#domain/quote/line-references';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const atMost = <T extends z.core.SomeType>(item: T, max: number) => z.array(item).check(z.maxLength(max));

const optionalText = (max: number) => z.optional(z.string().check(z.maxLength(max)));

/**
 * A TMF648 QuoteItem as a client sends it. Strict: an attribute the quote does not keep is
 * refused by name. `quoteItemPrice` is read for the discount percentage only (prices are
 * computed), so a client may send back the prices it was given.
 */
export const tmf648QuoteItemSchema = () =>
  z.strictObject({
    ...lineReferencesShape(),
    '@type': z.optional(z.literal('QuoteItem')),
    id: z.optional(text(100)),
    action: z.optional(text(50)),
    quantity: z.optional(z.int()),
    // Absent on an item that changes an installed product (`product.id`): the product names it.
    productOffering: z.optional(
      z.strictObject({
        id: text(100),
        href: optionalText(2000),
        name: optionalText(200),
        '@referredType': optionalText(100),
      }),
    ),
    product: z.optional(
      z.strictObject({
        '@type': z.optional(z.literal('Product')),
        id: z.optional(text(128)),
        productCharacteristic: z.optional(
          atMost(
            z.strictObject({
              name: text(100),
              value: z.union([z.string().check(z.maxLength(200)), z.number()]),
              valueType: optionalText(50),
              '@type': optionalText(100),
            }),
            50,
          ),
        ),
      }),
    ),
    quoteItemPrice: z.optional(
      atMost(
        z.looseObject({
          priceAlteration: z.optional(
            atMost(
              z.looseObject({
                price: z.optional(
                  z.looseObject({ percentage: z.optional(z.number().check(z.minimum(0), z.maximum(100))) }),
                ),
              }),
              10,
            ),
          ),
        }),
        10,
      ),
    ),
  });

export type Tmf648QuoteItemInput = z.input<ReturnType<typeof tmf648QuoteItemSchema>>;
