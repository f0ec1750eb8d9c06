import { loadCurrentCatalog } from '#adapters/catalog-store';
import { readFallout, readOrders } from '#adapters/read-model-queries';
import { thresholds } from '#adapters/reconciliation-runner';
import { loadAllOfType } from '#adapters/reconciliation-sources';
import { readCounters } from '#adapters/signal-counters';
import { orderSignals, quoteSignals, type Signal } from '#domain/projections/dashboard';
import type { Quote } from '#domain/quote/quote';
import { pricingStatusOf } from '#domain/quote/quote-rules';
import { apiHandler } from '#plumbing/http/api-handler';

/**
 * `GET /ops/dashboard`: the domain reliability signals of seed 000 §19.2, each with its value,
 * when it was computed and where it comes from. Quote signals are computed from the quote
 * aggregates (the only place staleness against the current catalog is known), order signals
 * from the read models (with their freshness), counts the data cannot tell from counters.
 */
export const handler = apiHandler({
  operation: 'ops-dashboard',
  roles: ['ops'],
  handle: async (req) => {
    const now = req.now;
    const [{ release }, quoteItems, orderItems, recon, orders, fallout, counters] = await Promise.all([
      loadCurrentCatalog(),
      loadAllOfType('quote'),
      loadAllOfType('order'),
      loadAllOfType('recon'),
      readOrders(),
      readFallout(),
      readCounters(),
    ]);
    const converted = new Set(orderItems.map((o) => String(o.data.quoteId ?? '')));
    const q = quoteSignals(
      quoteItems.map(({ data }) => {
        const quote = data as unknown as Quote;
        return {
          state: quote.state,
          validUntil: quote.validFor?.endDateTime,
          pricingStatus: pricingStatusOf(quote, release),
          invalidations: quote.approval?.invalidations?.length ?? 0,
          holdsApproval: !!quote.approval?.grant || quote.state === 'accepted',
          acceptedAt: quote.acceptance?.acceptedAt,
          converted: converted.has(quote.id),
        };
      }),
      now,
      thresholds().acceptedNotConverted,
    );
    const o = orderSignals(orders, fallout, now);
    const runs = recon
      .map((r) => r.data as { id: string; status: string; completedAt?: string; driftCount?: number })
      .filter((r) => r.status === 'COMPLETED' && r.completedAt)
      .sort((a, b) => (a.completedAt! < b.completedAt! ? 1 : -1));
    const latest = runs[0];
    const signal = (value: number | null, source: string, detail?: Record<string, unknown>): Signal => ({
      value,
      computedAt: now,
      source,
      ...(detail ? { detail } : {}),
    });
    const quotesSource = `aggregates: ${quoteItems.length} quotes, catalog ${release.priceBookVersion}`;
    const ordersSource = 'read model order-tracking (freshness per row)';
    return {
      status: 200,
      body: {
        computedAt: now,
        signals: {
          staleQuotes: signal(q.staleQuotes, `${quotesSource}; open quotes past validFor.endDateTime`),
          stalePrices: signal(q.stalePrices, `${quotesSource}; open quotes priced on an older price book`),
          approvalInvalidationRate: signal(
            q.approvalInvalidationRate.rate,
            `${quotesSource}; invalidations / (invalidations + approvals held)`,
            q.approvalInvalidationRate,
          ),
          conversionFailures: signal(
            q.acceptedNotConverted + counters.conversionFailures.value,
            `aggregates: accepted quotes without an order after ${thresholds().acceptedNotConverted} ms; plus counter conversionFailures`,
            {
              acceptedNotConverted: q.acceptedNotConverted,
              failedConversionCommands: counters.conversionFailures.value,
            },
          ),
          duplicateSubmitAttempts: signal(
            counters.duplicateSubmitAttempts.value + counters.duplicateConversionAttempts.value,
            'counters duplicateSubmitAttempts (idempotent replays and in-flight duplicates) and duplicateConversionAttempts (409 QUOTE_ALREADY_CONVERTED)',
            {
              replays: counters.duplicateSubmitAttempts.value,
              duplicateConversions: counters.duplicateConversionAttempts.value,
            },
          ),
          ordersInFallout: signal(o.ordersInFallout, 'read model fallout', { byReason: o.falloutByReason }),
          oldestFalloutAgeMs: signal(
            o.oldestFalloutAgeMs,
            'read model fallout (since of the oldest open fallout)',
          ),
          unknownOutcomeTasks: signal(o.unknownOutcomeTasks, `${ordersSource}; tasks in UNKNOWN`),
          deadLetters: signal(
            counters.deadLetteredEvents.value > 0 ? counters.deadLetteredEvents.value : null,
            'not visible to the API: the stream and bus dead-letter queues are alarmed in CloudWatch (ApproximateNumberOfMessagesVisible); locally GET /ops/local/dead-letters. Counter deadLetteredEvents when a DLQ consumer records it',
          ),
          reconciliationDrift: signal(
            latest?.driftCount ?? null,
            latest
              ? `reconciliation run ${latest.id} completed ${latest.completedAt}`
              : 'no completed reconciliation run yet',
          ),
          projectionLagMs: signal(
            o.projectionLag.p95Ms,
            `${ordersSource}; p95 of lagMs over rows`,
            o.projectionLag,
          ),
        },
      },
    };
  },
});
