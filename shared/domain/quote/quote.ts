/** The Quote aggregate: its types, commands and read-time derivations. */
export * from '#domain/quote/accept-quote';
export * from '#domain/quote/change-quote';
export * from '#domain/quote/create-quote';
export * from '#domain/quote/decide-approval';
export {
  fingerprintOf,
  isExpired,
  linePricingStatusOf,
  pricingStatusOf,
} from '#domain/quote/quote-rules';
export * from '#domain/quote/quote-types';
export * from '#domain/quote/submit-quote';
