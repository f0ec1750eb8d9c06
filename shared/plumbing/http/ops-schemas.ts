import * as z from 'zod/mini';
import { timelineSources } from '#domain/projections/account-timeline';
import { checkNames } from '#domain/reconciliation/findings';
import { periodBound } from '#domain/reporting/kpi-period';
import { kpiNames } from '#domain/reporting/kpis';
import { list, text } from './schema-helpers.ts';

/** POST /ops/reconciliation-runs: which checks, over everything or over the given ids (100 each). */
export const reconciliationRunBody = () =>
  z.strictObject({
    checks: z.optional(list(z.enum(checkNames as [string, ...string[]]), 0, checkNames.length)),
    quoteIds: z.optional(list(text(1, 200), 0, 100)),
    orderIds: z.optional(list(text(1, 200), 0, 100)),
    productIds: z.optional(list(text(1, 200), 0, 100)),
  });

/** GET /ops/hub-deliveries. */
export const hubDeliveriesQuery = z.object({
  subscriptionId: text(1, 100),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  cursor: z.optional(text(1, 500)),
});

/** GET /ops/refused-notices: one downstream's log; `orderId` adds that order's counts. */
export const refusedNoticesQuery = z.strictObject({
  // A system name, as in its channel `downstream-<system>`.
  downstream: z
    .string()
    .check(z.regex(/^[a-z][a-z0-9-]{0,49}$/, 'a downstream system name, e.g. provisioning')),
  orderId: z.optional(text(1, 200)),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  cursor: z.optional(text(1, 1_000)),
});

/** GET /reports/kpis. */
export const kpiReportQuery = z.strictObject({
  // ISO 8601 dates or timestamps; a timestamp counts from its UTC day.
  from: periodBound,
  to: periodBound,
  kpi: z.optional(z.enum(kpiNames as [string, ...string[]])),
});

/** The paging of the /views lists, closed: view-get answers 400 to any other parameter. */
export const viewPageQuery = z.strictObject({
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
  cursor: z.optional(text(1, 1_000)),
});

/**
 * GET /views/quote-worklist: `owner` narrows to one seller's quotes (`me`: the caller's own) in
 * `channelId` (staff; the caller's channel when absent; a partner is always in its own).
 */
export const quoteWorklistQuery = z.strictObject({
  ...viewPageQuery.shape,
  owner: z.optional(text(1, 200)),
  channelId: z.optional(text(1, 100)),
});

const timelineSourceList = new RegExp(`^(${timelineSources.join('|')})(,(${timelineSources.join('|')}))*$`);

/** GET /views/accounts/{accountId}/timeline: `source` narrows to some sources (comma-separated). */
export const timelineQuery = z.strictObject({
  ...viewPageQuery.shape,
  // One position per stream: longer than other views' cursors.
  cursor: z.optional(text(1, 2_048)),
  source: z.optional(
    z.string().check(z.regex(timelineSourceList, `comma-separated of ${timelineSources.join(', ')}`)),
  ),
});

/** GET /views/expiring-quotes. */
export const expiringQuotesQuery = z.strictObject({
  ...viewPageQuery.shape,
  withinDays: z.optional(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(366))),
});
