import * as z from 'zod/mini';

/**
 * What a customer attaches to a quote line so they recognise it later (on the order, the invoice,
 * the audit): not configured, not priced. Each field is accepted on `/quotes` lines and TMF648
 * quote items, carried verbatim from the quote line to the committed line, the order item and the
 * billing handoff, compared by the audit, and shown under its own name wherever a line is shown.
 * A new field of that kind is one entry here.
 */
export const lineReferencesShape = () => ({
  /** The customer's own name for the line (purchase-order line, site, cost centre), for their invoice. */
  customerReference: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
});

type Shape = ReturnType<typeof lineReferencesShape>;
export type LineReferences = { [K in keyof Shape]?: z.output<Shape[K]> };

let names: readonly (keyof LineReferences)[] | undefined;

/** The references of anything that carries them (a request line, a quote line, an order item). */
export const lineReferencesOf = (from: LineReferences): LineReferences => {
  names ??= Object.keys(lineReferencesShape()) as (keyof LineReferences)[];
  const picked: Record<string, unknown> = {};
  for (const name of names) if (from[name] !== undefined) picked[name] = from[name];
  return picked as LineReferences;
};
