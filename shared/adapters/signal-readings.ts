import { emptyHourKeys } from '#domain/projections/dashboard-gauges';
import { falloutByReason, unknownTasksGauge } from '#domain/projections/gauges';
import type { OrderTrackingRow } from '#domain/projections/order-tracking';
import type { ViewName } from '#domain/projections/views';
import type { SignalName } from '#signals';
import { dashboardReadings, type Reading } from './dashboard-readings.ts';
import { readGauges, removeEmptyGaugeKeys } from './gauge-store.ts';
import { countListedBefore, firstListed, loadPointer } from './read-model-store.ts';

export type { Reading };

const activeVersions = async (views: ViewName[]) =>
  Promise.all(views.map(async (view) => ({ view, version: (await loadPointer(view)).active })));

/**
 * The time-based gauges only a clock can move (a quote passes its validity, an approval its due
 * time): counted by the scheduled sampler from the sparse indexes and stored for the dashboard.
 */
export const sampleTimeGauges = async (now: string) => {
  const [expiring, inbox] = await activeVersions(['expiring-quotes', 'approval-inbox']);
  return {
    staleQuotes: await countListedBefore('expiring-quotes', expiring!.version, now),
    pendingApprovalsOverSla: await countListedBefore('approval-inbox', inbox!.version, now),
    sampledAt: now,
  };
};

/**
 * Every gauge of the catalog, from the gauge items (one BatchGet) and the oldest fallout row
 * (one item): what `/ops/dashboard` answers and what the sampler emits. Never reads every row.
 */
export const readGaugeSignals = async (now: string): Promise<Partial<Record<SignalName, Reading>>> => {
  const versions = await activeVersions(['fallout', 'order-tracking', 'quote-worklist']);
  const [{ views, summaries }, oldest] = await Promise.all([
    readGauges(versions, ['projection-lag', 'reconciliation', 'sampled']),
    firstListed<OrderTrackingRow>('fallout', versions[0]!.version),
  ]);
  const fallout = falloutByReason(views.fallout ?? {});
  const lag = summaries['projection-lag'] as { p95Ms?: number; at?: string } | undefined;
  const sampled = summaries.sampled as
    | { staleQuotes?: number; pendingApprovalsOverSla?: number; sampledAt?: string }
    | undefined;
  const recon = summaries.reconciliation as
    | { runId: string; completedAt: string; driftCount: number; byClassification: Record<string, number> }
    | undefined;
  const since = oldest?.fallout?.since;
  const fromRecon = (...classifications: string[]): Reading =>
    recon
      ? {
          value:
            classifications.length > 0
              ? classifications.reduce((n, c) => n + (recon.byClassification[c] ?? 0), 0)
              : recon.driftCount,
          asOf: recon.completedAt,
          source: `reconciliation run ${recon.runId} completed ${recon.completedAt}`,
          detail: { runId: recon.runId, byClassification: recon.byClassification },
        }
      : { value: null, asOf: null, source: 'no completed reconciliation run yet' };
  return {
    OrdersInFallout: {
      value: fallout.total,
      asOf: now,
      source: 'gauge item of the fallout view (moved with each row write)',
      detail: { byReason: fallout.byReason },
    },
    OldestFalloutAge: {
      value: since ? Math.max(0, Math.round((Date.parse(now) - Date.parse(since)) / 1000)) : 0,
      asOf: now,
      source: 'first row of the fallout view (sorted by since)',
      detail: since ? { since, orderId: oldest?.orderId, reasonCode: oldest?.fallout?.reasonCode } : {},
    },
    UnknownOutcomeTasks: {
      value: views['order-tracking']?.[unknownTasksGauge] ?? 0,
      asOf: now,
      source: 'gauge item of the order-tracking view (moved with each row write)',
    },
    ProjectionLag: {
      value: lag?.p95Ms ?? null,
      asOf: lag?.at ?? null,
      source: 'p95 of the projector’s last batch',
      detail: lag ? { ...lag } : {},
    },
    StaleQuotes: {
      value: sampled?.staleQuotes ?? null,
      asOf: sampled?.sampledAt ?? null,
      source: 'signal-sampler: expiring-quotes rows past validity',
    },
    PendingApprovalsOverSla: {
      value: sampled?.pendingApprovalsOverSla ?? null,
      asOf: sampled?.sampledAt ?? null,
      source: 'signal-sampler: approval-inbox rows past due',
    },
    ...dashboardReadings(views['order-tracking'] ?? {}, views['quote-worklist'] ?? {}, now),
    ReconciliationDrift: fromRecon(),
    // An order item fulfilled without its handoff, or an active product billing does not charge.
    ActiveAssetWithoutBilling: fromRecon('FULFILLED_WITHOUT_BILLING', 'ACTIVE_PRODUCT_NOT_BILLED'),
    DownstreamAheadOfOms: fromRecon('OMS_BEHIND_DOWNSTREAM'),
  };
};

/** Drops the state-hour keys of the dashboard gauges no row holds any more (the item stays small). */
export const pruneEmptyHours = async (): Promise<number> => {
  const versions = await activeVersions(['order-tracking', 'quote-worklist']);
  const { items } = await readGauges(versions, []);
  let removed = 0;
  for (const { view } of versions)
    for (const item of items[view] ?? [])
      removed += await removeEmptyGaugeKeys(item.sk, emptyHourKeys(item.gauges));
  return removed;
};
