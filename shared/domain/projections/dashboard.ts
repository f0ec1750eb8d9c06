import type { OrderTrackingRow } from './order-tracking.ts';

export type Signal = {
  value: number | null;
  computedAt: string;
  source: string;
  detail?: Record<string, unknown>;
};

export type QuoteSignalFacts = {
  state: string;
  validUntil?: string;
  pricingStatus: string;
  invalidations: number;
  holdsApproval: boolean;
  acceptedAt?: string;
  converted: boolean;
};

const openStates = new Set(['inProgress', 'pending', 'approved']);

/** Quote-side signals from the aggregates (pure, for the dashboard). */
export const quoteSignals = (quotes: QuoteSignalFacts[], now: string, conversionThresholdMs: number) => {
  const t = Date.parse(now);
  const open = quotes.filter((q) => openStates.has(q.state));
  const invalidations = quotes.reduce((n, q) => n + q.invalidations, 0);
  const holding = quotes.filter((q) => q.holdsApproval).length;
  return {
    staleQuotes: open.filter((q) => q.validUntil && Date.parse(q.validUntil) < t).length,
    stalePrices: open.filter((q) => q.pricingStatus === 'STALE').length,
    approvalInvalidationRate: {
      rate: invalidations + holding === 0 ? 0 : invalidations / (invalidations + holding),
      invalidations,
      approvalsHeld: holding,
    },
    acceptedNotConverted: quotes.filter(
      (q) =>
        q.state === 'accepted' &&
        !q.converted &&
        q.acceptedAt &&
        t - Date.parse(q.acceptedAt) > conversionThresholdMs,
    ).length,
  };
};

/** Order-side signals from the read models. */
export const orderSignals = (orders: OrderTrackingRow[], fallout: OrderTrackingRow[], now: string) => {
  const t = Date.parse(now);
  const ages = fallout.map((r) => t - Date.parse(r.fallout?.since ?? now));
  const lags = [...orders].map((r) => r.freshness.lagMs).sort((a, b) => a - b);
  const byReason: Record<string, number> = {};
  for (const r of fallout) byReason[r.fallout!.reasonCode] = (byReason[r.fallout!.reasonCode] ?? 0) + 1;
  return {
    ordersInFallout: fallout.length,
    falloutByReason: byReason,
    oldestFalloutAgeMs: ages.length ? Math.max(...ages) : 0,
    unknownOutcomeTasks: orders.reduce(
      (n, r) => n + Object.values(r.tasks).filter((task) => task.state === 'UNKNOWN').length,
      0,
    ),
    projectionLag: {
      p95Ms: lags.length ? lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.95))]! : 0,
      maxMs: lags.length ? lags[lags.length - 1]! : 0,
      dataCurrentThrough:
        orders
          .map((r) => r.freshness.sourceEventTime)
          .sort()
          .at(-1) ?? null,
    },
  };
};
