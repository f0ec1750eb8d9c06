import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { channelRef } from '#domain/access/channel-ids';
import {
  applyTimelineEvent,
  entryStream,
  type TimelineEntry,
  timelineEntryOf,
} from '#domain/projections/account-timeline';
import { contentChecksum, type SourceEvent } from '#domain/projections/source-event';
import { rowIdOf, rowViewOf, type ViewName } from '#domain/projections/views';
import { canonicalHash } from '#domain/quote/canonical-hash';
import type { PartitionDifference } from '#domain/reconciliation/checks';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { outboxEnvelope } from './outbox-item.ts';
import { loadAllOfType } from './type-index.ts';

/**
 * The source of every projection: the outbox items of the aggregates table (index `byTypeShard`,
 * partitions `outbox#NN`; one aggregate's events: its `OUTBOX#` partition). Outbox items expire after their retention (7 days): a rebuild covers
 * what the outbox still holds; the aggregates themselves are compared by reconciliation.
 */
export const loadSourceEvents = async (filter?: { aggregateType: string; aggregateId: string }) => {
  if (!filter)
    return (await loadAllOfType('outbox')).flatMap(({ item }) => outboxEnvelope<SourceEvent>(item) ?? []);
  const events: SourceEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: env.table('aggregates'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `OUTBOX#${filter.aggregateType}#${filter.aggregateId}` },
        ConsistentRead: true,
        Limit: 100,
        ExclusiveStartKey: start,
      }),
    );
    events.push(...(res.Items ?? []).flatMap((item) => outboxEnvelope<SourceEvent>(item) ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return events;
};

/** Partition of a view: a row (aggregate id) or an account's timeline. */
export type Partitions = Map<string, { checksum: string; sourceVersion: number; content: unknown }>;

export const timelineChecksum = (entries: TimelineEntry[]) =>
  canonicalHash(entries.map((e) => contentChecksum(e as never)));

/** Pure replay of source events into one view, in memory. */
export const replayView = (view: ViewName, events: SourceEvent[], now: string): Partitions => {
  const out: Partitions = new Map();
  if (view === 'account-timeline') {
    const byAccount = new Map<string, TimelineEntry[]>();
    for (const e of events) {
      const entry = timelineEntryOf(e, now);
      if (!entry) continue;
      // Partitioned as stored: one timeline per channel and account (two channels may share an
      // id), one stream per source and visibility.
      const partition = `${channelRef(entry.channelId, entry.accountId)}#${entryStream(entry)}`;
      const next = applyTimelineEvent(byAccount.get(partition), e, now);
      if (next) byAccount.set(partition, next);
    }
    for (const [partition, entries] of byAccount) {
      out.set(partition, {
        checksum: timelineChecksum(entries),
        sourceVersion: Math.max(...entries.map((x) => x.source.aggregateVersion)),
        content: entries,
      });
    }
    return out;
  }
  const spec = rowViewOf(view);
  const rows = new Map<string, unknown>();
  for (const e of events) {
    if (!spec.handles(e)) continue;
    const id = rowIdOf(e);
    const row = spec.apply(rows.get(id), e, now);
    if (row) rows.set(id, row);
  }
  for (const [id, row] of rows) {
    const r = row as { freshness: { sourceVersion: number } } & Record<string, unknown>;
    out.set(id, { checksum: contentChecksum(r), sourceVersion: r.freshness.sourceVersion, content: r });
  }
  return out;
};

/** A difference of one partition; the reconciliation finding adds the view. */
export type PartitionDiff = Omit<PartitionDifference, 'view'>;

/**
 * Partition by partition: equal checksums, or the projection is ahead of the source scan
 * (a live event projected after the scan), else a difference.
 */
export const comparePartitions = (source: Partitions, projection: Partitions): PartitionDiff[] => {
  const diffs: PartitionDiff[] = [];
  for (const [partition, s] of source) {
    const p = projection.get(partition);
    if (!p)
      diffs.push({
        partition,
        kind: 'MISSING_IN_PROJECTION',
        sourceChecksum: s.checksum,
        sourceVersion: s.sourceVersion,
      });
    else if (p.checksum !== s.checksum && p.sourceVersion <= s.sourceVersion)
      diffs.push({
        partition,
        kind: 'CHECKSUM_MISMATCH',
        sourceChecksum: s.checksum,
        projectionChecksum: p.checksum,
        sourceVersion: s.sourceVersion,
        projectionVersion: p.sourceVersion,
      });
  }
  for (const [partition, p] of projection) {
    if (!source.has(partition))
      diffs.push({
        partition,
        kind: 'EXTRA_IN_PROJECTION',
        projectionChecksum: p.checksum,
        projectionVersion: p.sourceVersion,
      });
  }
  return diffs;
};
