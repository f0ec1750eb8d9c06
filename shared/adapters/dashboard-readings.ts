import {
  conversionFunnel,
  countsOf,
  gaugeKeys,
  stateByAge,
  totalOf,
} from '#domain/projections/dashboard-gauges';
import type { GaugeContribution } from '#domain/projections/gauges';
import type { SignalName } from '#signals';

export type Reading = {
  value: number | null;
  /** When the value was last brought up to date (requirements 003 §19 rule 5). */
  asOf: string | null;
  source: string;
  detail?: Record<string, unknown>;
  /** The value per breakdown value the sampler emits beside the total. */
  split?: Record<string, number>;
};

type DashboardSignal =
  | 'QuotesByStateAge'
  | 'ConversionFunnel'
  | 'OrdersByStateAge'
  | 'FalloutByDownstream'
  | 'RetryBacklog'
  | 'SlaBreachForecast'
  | 'ApprovalQueueByReason'
  | 'StaleApprovalsOpen';

const flatten = (byState: ReturnType<typeof stateByAge>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(byState).flatMap(([state, buckets]) =>
      Object.entries(buckets).map(([bucket, n]) => [`${state}|${bucket}`, n]),
    ),
  );

/**
 * The requirements 003 §9 gauges from the gauge items of the order-tracking and quote-worklist
 * views (already read: no further request). `split` is what the sampler emits per breakdown value.
 */
export const dashboardReadings = (
  orders: GaugeContribution,
  quotes: GaugeContribution,
  now: string,
): Record<DashboardSignal & SignalName, Reading> => {
  const gauge = (value: number, source: string, split?: Record<string, number>, detail = {}): Reading => ({
    value,
    asOf: now,
    source,
    ...(split ? { split } : {}),
    detail: { ...(split ? { split } : {}), ...detail },
  });
  const quoteStates = stateByAge(quotes, now);
  const orderStates = stateByAge(orders, now);
  const risk = countsOf(orders, gaugeKeys.slaRisk);
  const jeopardy = countsOf(orders, gaugeKeys.jeopardy);
  const funnel = conversionFunnel(quotes, orders);
  const fromQuotes = 'gauge item of the quote-worklist view (moved with each row write)';
  const fromOrders = 'gauge item of the order-tracking view (moved with each row write)';
  return {
    QuotesByStateAge: gauge(totalOf(flatten(quoteStates)), fromQuotes, flatten(quoteStates), {
      byState: quoteStates,
    }),
    ConversionFunnel: gauge(
      funnel[0]!.count,
      `${fromQuotes} and ${fromOrders}`,
      Object.fromEntries(funnel.map((f) => [f.stage, f.count])),
      { funnel },
    ),
    OrdersByStateAge: gauge(totalOf(flatten(orderStates)), fromOrders, flatten(orderStates), {
      byState: orderStates,
    }),
    FalloutByDownstream: ((split) => gauge(totalOf(split), fromOrders, split))(
      countsOf(orders, gaugeKeys.falloutDownstream),
    ),
    RetryBacklog: ((split) => gauge(totalOf(split), fromOrders, split))(
      countsOf(orders, gaugeKeys.retryBacklog),
    ),
    SlaBreachForecast: gauge(
      (risk.HIGH ?? 0) + (risk.MEDIUM ?? 0),
      fromOrders,
      {
        HIGH: risk.HIGH ?? 0,
        MEDIUM: risk.MEDIUM ?? 0,
        'jeopardy-atRisk': jeopardy.atRisk ?? 0,
        'jeopardy-breached': jeopardy.breached ?? 0,
      },
      { byLevel: risk },
    ),
    ApprovalQueueByReason: ((split) => gauge(totalOf(split), fromQuotes, split))(
      countsOf(quotes, gaugeKeys.approvalQueue),
    ),
    StaleApprovalsOpen: gauge(quotes[gaugeKeys.staleApproval] ?? 0, fromQuotes),
  };
};
