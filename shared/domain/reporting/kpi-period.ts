import * as z from 'zod/mini';

/**
 * A KPI period bound: an ISO 8601 date (`2026-12-05`) or date-time (`2026-12-05T16:00:00.000Z`,
 * any offset). Facts are partitioned by UTC day, so a date-time counts from its UTC day.
 */
export const periodBound = z.pipe(
  z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
  z.transform((v: string) => (v.length === 10 ? v : new Date(v).toISOString().slice(0, 10))),
);
