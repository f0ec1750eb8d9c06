import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { applyTimelineEvent, type TimelineEntry } from '#domain/projections/account-timeline';
import { contentChecksum, type SourceEvent } from '#domain/projections/source-event';
import { type RowViewName, rowIdOf, rowViewOf, type ViewName, viewNames } from '#domain/projections/views';
import { canonicalHash } from '#domain/quote/canonical-hash';
import type { PartitionDifference } from '#domain/reconciliation/checks';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import {
  applyToRow,
  loadPointer,
  putTimelineEntry,
  savePointer,
  scanVersion,
  viewPartition,
} from './read-model-store.ts';

/**
 * The source of every projection: the outbox items of the aggregates table (index `byType`,
 * partition `outbox`). Outbox items expire after their retention (7 days): a rebuild covers
 * what the outbox still holds; the aggregates themselves are compared by reconciliation.
 */
export const loadSourceEvents = async (filter?: { aggregateType: string; aggregateId: string }) => {
  const events: SourceEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand(
        filter
          ? {
              TableName: env.table('aggregates'),
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': `OUTBOX#${filter.aggregateType}#${filter.aggregateId}` },
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }
          : {
              TableName: env.table('aggregates'),
              IndexName: 'byType',
              KeyConditionExpression: 'itemType = :t',
              ExpressionAttributeValues: { ':t': 'outbox' },
              ExclusiveStartKey: start,
            },
      ),
    );
    for (const item of res.Items ?? []) if (item.envelope) events.push(item.envelope as SourceEvent);
    start = res.LastEvaluatedKey;
  } while (start);
  return events;
};

/** Partition of a view: a row (aggregate id) or an account's timeline. */
export type Partitions = Map<string, { checksum: string; sourceVersion: number; content: unknown }>;

const timelineChecksum = (entries: TimelineEntry[]) =>
  canonicalHash(entries.map((e) => contentChecksum(e as never)));

/** Pure replay of source events into one view, in memory. */
export const replayView = (view: ViewName, events: SourceEvent[], now: string): Partitions => {
  const out: Partitions = new Map();
  if (view === 'account-timeline') {
    const byAccount = new Map<string, TimelineEntry[]>();
    for (const e of events) {
      const accountId = typeof e.resource.accountId === 'string' ? e.resource.accountId : undefined;
      if (!accountId) continue;
      const next = applyTimelineEvent(byAccount.get(accountId), e, now);
      if (next) byAccount.set(accountId, next);
    }
    for (const [accountId, entries] of byAccount) {
      out.set(accountId, {
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

/** What a stored projection version holds, as checksums per partition. */
export const storedPartitions = async (view: ViewName, version: number): Promise<Partitions> => {
  const items = await scanVersion(view, version);
  const prefix = `${viewPartition(view, version)}#`;
  const out: Partitions = new Map();
  if (view === 'account-timeline') {
    const byAccount = new Map<string, TimelineEntry[]>();
    for (const item of items) {
      const id = String(item.pk).slice(prefix.length);
      byAccount.set(id, [...(byAccount.get(id) ?? []), item.data as TimelineEntry]);
    }
    for (const [id, entries] of byAccount) {
      entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      out.set(id, {
        checksum: timelineChecksum(entries),
        sourceVersion: Math.max(...entries.map((x) => x.source.aggregateVersion)),
        content: entries,
      });
    }
    return out;
  }
  for (const item of items) {
    const row = item.data as { freshness: { sourceVersion: number } } & Record<string, unknown>;
    out.set(String(item.pk).slice(prefix.length), {
      checksum: contentChecksum(row),
      sourceVersion: row.freshness.sourceVersion,
      content: row,
    });
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

export type RebuildReport = {
  view: ViewName;
  fromVersion: number;
  toVersion: number;
  partitions: number;
  events: number;
  diffs: PartitionDiff[];
  switched: boolean;
};

export type RebuildOptions = {
  views?: readonly ViewName[];
  now?: () => string;
  onStart?: (view: ViewName, total: number) => void;
  onProgress?: (view: ViewName, done: number) => void;
};

/**
 * Blue/green rebuild of each view: mark a new version as building (the projector then writes
 * live events to it too), replay the source into it, compare checksums per partition against
 * an in-memory replay of the same source, and switch the active version only when they agree.
 * The old version stays as `previous` for rollback.
 */
export const rebuildProjections = async (options: RebuildOptions = {}): Promise<RebuildReport[]> => {
  const now = options.now ?? (() => new Date().toISOString());
  const reports: RebuildReport[] = [];
  const views = options.views ?? viewNames;
  const pointers = new Map<ViewName, Awaited<ReturnType<typeof loadPointer>>>();
  for (const view of views) {
    const pointer = await loadPointer(view);
    const next = Math.max(pointer.active, pointer.building ?? 0, pointer.previous ?? 0) + 1;
    const building = { view, active: pointer.active, building: next, previous: pointer.previous };
    await savePointer(building, pointer);
    pointers.set(view, { ...building, exists: true });
  }
  // Scanned after every view is marked building: what the scan misses, the projector writes.
  const events = await loadSourceEvents();
  for (const view of views) {
    const pointer = pointers.get(view)!;
    const version = pointer.building!;
    const source = replayView(view, events, now());
    options.onStart?.(view, source.size);
    let done = 0;
    if (view === 'account-timeline') {
      for (const [, p] of source) {
        for (const entry of p.content as TimelineEntry[]) await putTimelineEntry(version, entry);
        options.onProgress?.(view, ++done);
      }
    } else {
      const spec = rowViewOf(view);
      const byRow = new Map<string, SourceEvent[]>();
      for (const e of events)
        if (spec.handles(e)) byRow.set(rowIdOf(e), [...(byRow.get(rowIdOf(e)) ?? []), e]);
      for (const [id, rowEvents] of byRow) {
        await applyToRow(view as RowViewName, version, id, rowEvents, now());
        options.onProgress?.(view, ++done);
      }
    }
    // Extra partitions in a fresh version can only come from live events newer than the scan.
    const diffs = comparePartitions(source, await storedPartitions(view, version)).filter(
      (d) => d.kind !== 'EXTRA_IN_PROJECTION',
    );
    const switched = diffs.length === 0;
    if (switched) {
      await savePointer({ view, active: version, previous: pointer.active, switchedAt: now() }, pointer);
    }
    reports.push({
      view,
      fromVersion: pointer.active,
      toVersion: version,
      partitions: source.size,
      events: events.length,
      diffs,
      switched,
    });
  }
  return reports;
};
