import type { SourceEvent } from '#domain/projections/source-event';
import { canonicalHash } from '#domain/quote/canonical-hash';
import { type FactContext, factsOf } from './facts-of-event.ts';

/** A partition of the reporting facts: one table, one UTC day (`fact_order_fulfillment_task/dt=2026-11-20`). */
export type FactPartitions = Map<string, { rows: Record<string, unknown>[]; checksum: string }>;

/**
 * A fact's content without the identity of the event that carried it: the same fact read from the
 * live event or from the aggregate's snapshot is the same fact.
 */
const content = (row: Record<string, unknown>) => {
  const { event_id: _id, event_time: _time, ...rest } = row;
  return rest;
};

/** A checksum of fact rows in any order, whatever event carried them. */
export const factRowsChecksum = (rows: readonly Record<string, unknown>[]): string =>
  canonicalHash(rows.map((r) => canonicalHash(content(r))).sort());

/** The facts a set of source events gives, by partition, each with a checksum of its rows in any order. */
export const factPartitions = (
  events: readonly SourceEvent[],
  contextOf: (event: SourceEvent) => FactContext = () => ({}),
): FactPartitions => {
  const rows = new Map<string, Record<string, unknown>[]>();
  for (const event of events) {
    const facts = factsOf(event, contextOf(event));
    if (!facts) continue;
    const key = `${facts.table}/dt=${facts.dt}`;
    rows.set(key, [...(rows.get(key) ?? []), ...(facts.rows as Record<string, unknown>[])]);
  }
  const out: FactPartitions = new Map();
  for (const [key, list] of rows) out.set(key, { rows: list, checksum: factRowsChecksum(list) });
  return out;
};
