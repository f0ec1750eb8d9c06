import type { Minor } from '#domain/money';
import type { Quote } from '#domain/quote/quote-types';

/** A line without a `term` option is counted over one year. */
export const defaultTermMonths = 12;

const termMonthsOf = (options: Record<string, unknown> | undefined): number => {
  const term = Number(options?.term);
  return Number.isInteger(term) && term > 0 ? term : defaultTermMonths;
};

/**
 * Total contract value of the priced quote, in minor units: each line's net one-time charge plus
 * its net monthly recurring charge over the line's term (months). Undefined until it is priced.
 */
export const totalContractValueMinor = (quote: Pick<Quote, 'lines' | 'priceSnapshot'>): Minor | undefined => {
  const snapshot = quote.priceSnapshot;
  if (!snapshot) return undefined;
  const options = new Map(quote.lines.map((l) => [l.lineId, l.options as Record<string, unknown>]));
  return snapshot.lines.reduce(
    (total, l) => total + l.netOneTime + l.netRecurring * termMonthsOf(options.get(l.lineId)),
    0,
  );
};
