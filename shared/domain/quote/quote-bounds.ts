/**
 * How many lines a quote holds. A large quote is stored as a header and pages (quote-pages.ts),
 * so the bound is what an order converted from it can fulfil: an order covers every line of its
 * quote, and orders hold at most `fulfillmentBounds.maxItems` items. Beyond it a request is a
 * 400 naming the field (`details.fields`), before anything is configured or written.
 */
export const quoteBounds = { maxLines: 500 } as const;
