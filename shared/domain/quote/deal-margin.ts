import type { Minor } from '#domain/money';
import type { PriceTotals } from '#domain/quote/pricing';

/**
 * The margin guardrail the reporting definition uses (`margin_exception_rate`): a deal whose
 * monthly recurring margin is below 30 % of its net recurring price is a margin exception.
 * Deal policy has no margin rule; the flag informs the approver, it decides nothing.
 */
export const MARGIN_GUARDRAIL_PERCENT = 30;

/**
 * A deal's margin as staff see it (requirements 003 §5.1 `marginPercent`): the price snapshot's
 * monthly recurring margin (net recurring minus the catalog's monthly cost), its percent of the
 * net recurring price (one decimal; null when the net is 0) and the quote revision it was read at.
 */
export type DealMargin = {
  amountMinor: Minor;
  percent: number | null;
  currency: string;
  basis: 'MONTHLY_RECURRING';
  belowGuardrail: boolean;
  quoteRevision: number;
};

/** What the quote header carries about its price: the snapshot's totals and currency. */
export type PricedHeader = {
  quoteId: string;
  version: number;
  priceSnapshot?: { currency: string; totals: Pick<PriceTotals, 'netRecurring' | 'marginRecurring'> };
};

/** Null when the margin is unknown: not priced, or a line's offering has no cost in the catalog. */
export const dealMarginOf = (header: PricedHeader | undefined): DealMargin | null => {
  const snapshot = header?.priceSnapshot;
  const margin = snapshot?.totals.marginRecurring;
  if (!header || !snapshot || margin === undefined) return null;
  const net = snapshot.totals.netRecurring;
  return {
    amountMinor: margin,
    percent: net > 0 ? Math.round((margin * 1000) / net) / 10 : null,
    currency: snapshot.currency,
    basis: 'MONTHLY_RECURRING',
    // Integer comparison, as the KPI's `margin < 0.30 * net`: no rounded percent in between.
    belowGuardrail: margin * 100 < MARGIN_GUARDRAIL_PERCENT * net,
    quoteRevision: header.version,
  };
};

/**
 * Each row with the margin of its quote, read from the quote headers at query time (never from
 * events: they reach channels). A row whose header is missing or unpriced gets `margin: null`.
 */
export const withDealMargins = <R extends { quoteId: string }>(
  rows: readonly R[],
  headers: readonly PricedHeader[],
): (R & { margin: DealMargin | null })[] => {
  const byId = new Map(headers.map((h) => [h.quoteId, h]));
  return rows.map((row) => ({ ...row, margin: dealMarginOf(byId.get(row.quoteId)) }));
};
