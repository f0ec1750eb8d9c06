import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FactContext } from '#domain/reporting/facts-of-event';
import { type FactPartitions, factPartitions } from '#domain/reporting/facts-rebuild';
import { factContextOf } from './fact-context.ts';
import { loadSourceOfRecord } from './source-of-record.ts';

export type FactsRebuildReport = {
  partitions: { partition: string; rows: number; checksum: string }[];
  source: { replayed: number; fromAggregate: number; unreadable: string[] };
};

/**
 * The reporting facts rebuilt from the source of record (aggregates of any age, their retained
 * events where the outbox still holds their whole life), written as a new lake beside the live
 * one (`<dir>/facts/<table>/dt=<day>/rebuild.json`, the layout Firehose writes and the Glue tables
 * and DuckDB read): pointing the reporting engine at it is the switch, the old lake the rollback.
 */
export const rebuildFacts = async (dir: string): Promise<FactsRebuildReport & { facts: FactPartitions }> => {
  const source = await loadSourceOfRecord();
  // The same context the fact mapper reads live (margins, region, billing terms).
  const contexts = new Map<string, FactContext>();
  for (const event of source.events) contexts.set(event.eventId, await factContextOf(event));
  const facts = factPartitions(source.events, (e) => contexts.get(e.eventId) ?? {});
  for (const [partition, { rows }] of facts) {
    const folder = join(dir, 'facts', partition);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'rebuild.json'), rows.map((r) => JSON.stringify(r)).join('\n'));
  }
  return {
    facts,
    partitions: [...facts].map(([partition, p]) => ({
      partition,
      rows: p.rows.length,
      checksum: p.checksum,
    })),
    source: { replayed: source.replayed, fromAggregate: source.fromAggregate, unreadable: source.unreadable },
  };
};
