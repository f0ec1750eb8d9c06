import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineEntry } from '#domain/projections/account-timeline';
import { contentChecksum, type SourceEvent } from '#domain/projections/source-event';
import { viewCatalog } from '#domain/projections/view-catalog';
import { type RowViewName, rowIdOf, rowViewOf, type ViewName, viewNames } from '#domain/projections/views';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { unpacked } from './packed-data.ts';
import {
  comparePartitions,
  type PartitionDiff,
  type Partitions,
  replayView,
  timelineChecksum,
} from './projection-replay.ts';
import {
  applyToRow,
  loadPointer,
  putTimelineEntry,
  rowOfItems,
  savePointer,
  viewPartition,
} from './read-model-store.ts';
import { loadSourceOfRecord } from './source-of-record.ts';
import { writeThrottle } from './write-throttle.ts';

export { comparePartitions, loadSourceEvents, type Partitions, replayView } from './projection-replay.ts';

/**
 * Every item of one projection version: a filtered Scan, for the ops rebuild tool only (it
 * verifies a whole version before switching to it; no request handler reaches this).
 */
export const scanVersion = async (view: ViewName, version: number): Promise<Record<string, unknown>[]> => {
  const prefix = `${viewPartition(view, version)}#`;
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new ScanCommand({
        TableName: env.table('readModels'),
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': prefix },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...((res.Items ?? []) as Record<string, unknown>[]));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
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
      byAccount.set(id, [...(byAccount.get(id) ?? []), unpacked<TimelineEntry>(item)]);
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
  const byRow = new Map<string, Record<string, unknown>[]>();
  for (const item of items) {
    const list = byRow.get(String(item.pk)) ?? [];
    list.push(item);
    byRow.set(String(item.pk), list);
  }
  for (const [pk, rowItems] of byRow) {
    const row = rowOfItems<{ freshness: { sourceVersion: number } } & Record<string, unknown>>(
      view,
      rowItems,
    )?.row;
    if (!row) continue;
    out.set(pk.slice(prefix.length), {
      checksum: contentChecksum(row),
      sourceVersion: row.freshness.sourceVersion,
      content: row,
    });
  }
  return out;
};

export type RebuildReport = {
  view: ViewName;
  fromVersion: number;
  toVersion: number;
  partitions: number;
  events: number;
  /** Aggregates replayed from their retained events, and read from the aggregate itself. */
  source: { replayed: number; fromAggregate: number; unreadable: string[] };
  diffs: PartitionDiff[];
  switched: boolean;
};

export type RebuildOptions = {
  views?: readonly ViewName[];
  now?: () => string;
  onStart?: (view: ViewName, total: number) => void;
  onProgress?: (view: ViewName, done: number) => void;
  /** Partitions written per second at most, so a rebuild leaves the table's capacity to the live projector. */
  maxPartitionsPerSecond?: number;
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
    // The new version is built with the schema this code declares: a schema change is a rebuild.
    const schemas = { ...pointer.schemas, [String(next)]: viewCatalog[view].schemaVersion };
    const building = { view, active: pointer.active, building: next, previous: pointer.previous, schemas };
    await savePointer(building, pointer);
    pointers.set(view, { ...building, exists: true });
  }
  // Read after every view is marked building: what the read misses, the projector writes.
  const sourceOfRecord = await loadSourceOfRecord();
  const { events } = sourceOfRecord;
  const source = {
    replayed: sourceOfRecord.replayed,
    fromAggregate: sourceOfRecord.fromAggregate,
    unreadable: sourceOfRecord.unreadable,
  };
  for (const view of views) {
    const pointer = pointers.get(view)!;
    const version = pointer.building!;
    const expected = replayView(view, events, now());
    options.onStart?.(view, expected.size);
    const throttle = writeThrottle(options.maxPartitionsPerSecond ?? Number.POSITIVE_INFINITY);
    let done = 0;
    if (view === 'account-timeline') {
      for (const [, p] of expected) {
        await throttle();
        for (const entry of p.content as TimelineEntry[]) await putTimelineEntry(version, entry);
        options.onProgress?.(view, ++done);
      }
    } else {
      const spec = rowViewOf(view);
      const byRow = new Map<string, SourceEvent[]>();
      for (const e of events)
        if (spec.handles(e)) byRow.set(rowIdOf(e), [...(byRow.get(rowIdOf(e)) ?? []), e]);
      for (const [id, rowEvents] of byRow) {
        await throttle();
        await applyToRow(view as RowViewName, version, id, rowEvents, now());
        options.onProgress?.(view, ++done);
      }
    }
    // Extra partitions in a fresh version can only come from live events newer than the scan.
    const diffs = comparePartitions(expected, await storedPartitions(view, version)).filter(
      (d) => d.kind !== 'EXTRA_IN_PROJECTION',
    );
    const switched = diffs.length === 0;
    if (switched) {
      await savePointer(
        { view, active: version, previous: pointer.active, switchedAt: now(), schemas: pointer.schemas },
        pointer,
      );
    }
    reports.push({
      view,
      fromVersion: pointer.active,
      toVersion: version,
      partitions: expected.size,
      events: events.length,
      source,
      diffs,
      switched,
    });
  }
  return reports;
};

export type RollbackReport = { view: ViewName; fromVersion: number; toVersion: number };

/**
 * Switches a view back to the version it had before its last switch (kept by every rebuild): the
 * two versions trade places, so rolling back twice is a roll forward. A version still being built
 * (a rebuild that did not switch) is abandoned. Refused when there is no previous version.
 */
export const rollbackProjection = async (
  view: ViewName,
  now = new Date().toISOString(),
): Promise<RollbackReport> => {
  const pointer = await loadPointer(view);
  if (pointer.previous === undefined) throw new Error(`${view}: no previous version to roll back to`);
  await savePointer(
    {
      view,
      active: pointer.previous,
      previous: pointer.active,
      switchedAt: now,
      ...(pointer.schemas ? { schemas: pointer.schemas } : {}),
    },
    pointer,
  );
  return { view, fromVersion: pointer.active, toVersion: pointer.previous };
};
