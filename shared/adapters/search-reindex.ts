import type { ProductOrder } from '#domain/order/product-order';
import { applyOrderEvent, type OrderTrackingRow } from '#domain/projections/order-tracking';
import { orderSnapshotEvents, quoteSnapshotEvents } from '#domain/projections/snapshot-events';
import { searchIndexSpec } from '#domain/projections/view-catalog';
import type { Quote } from '#domain/quote/quote-types';
import { type OrderSearchDoc, orderSearchDocOf } from '#domain/search/order-search';
import { applyQuoteSearch, type QuoteSearchDoc } from '#domain/search/quote-search';
import type { SearchDoc } from '#domain/search/search-index';
import {
  rollBackSearch,
  type SearchDocProblem,
  type SearchTarget,
  schemaOfVersion,
  searchDocProblem,
  searchWriteTargets,
  startSearchBuild,
  switchSearch,
} from '#domain/search/search-versions';
import { loadSearchPointer, saveSearchPointer } from './search-pointer.ts';
import { indexOrder, indexQuote, loadDoc, type Stored } from './search-store.ts';
import { loadAllOfType } from './type-index.ts';
import { writeThrottle } from './write-throttle.ts';

type DocType = 'quote' | 'order';

const versionOf = (type: DocType, stored: Stored) =>
  type === 'quote'
    ? (stored.state as QuoteSearchDoc).revision
    : (stored.sourceVersion ?? (stored.doc as OrderSearchDoc).freshness.sourceVersion);
const docOf = (type: DocType, stored: Stored) =>
  (type === 'quote' ? stored.state : stored.doc) as SearchDoc | undefined;

/** What a stored search document says of its source (the version it reflects and the state), in the active version. */
export const indexedVersion = async (
  type: DocType,
  id: string,
  indexVersion?: number,
): Promise<{ version: number; state: string } | undefined> => {
  const stored = await loadDoc(type, id, indexVersion ?? (await loadSearchPointer()).active);
  const doc = stored && docOf(type, stored);
  return stored && doc ? { version: versionOf(type, stored), state: doc.state } : undefined;
};

/** The document the reducers make of an aggregate (of any age), as the projector would. */
const expectedDoc = (type: DocType, aggregate: Record<string, unknown>, version: number, now: string) => {
  if (type === 'quote') {
    const events = quoteSnapshotEvents(aggregate as unknown as Quote, version);
    return {
      events,
      doc: events.reduce<QuoteSearchDoc | undefined>((s, e) => applyQuoteSearch(s, e, now) ?? s, undefined),
    };
  }
  const row = orderSnapshotEvents(aggregate as unknown as ProductOrder, version).reduce<
    OrderTrackingRow | undefined
  >((r, e) => applyOrderEvent(r, e, now), undefined);
  return { row, doc: row ? (orderSearchDocOf(row) as SearchDoc) : undefined };
};

/**
 * Re-indexes one document from its aggregate (of any age): the aggregate's snapshot events through
 * the same reducers the projector uses, written like any projected change, into every version the
 * projector writes (or the ones given).
 */
export const reindexFromAggregate = async (
  type: DocType,
  aggregate: Record<string, unknown>,
  version: number,
  now: string,
  targets?: SearchTarget[],
): Promise<void> => {
  const versions = targets ?? searchWriteTargets(await loadSearchPointer());
  const id = String(aggregate.id);
  const built = expectedDoc(type, aggregate, version, now);
  for (const v of versions) {
    if (type === 'quote')
      await indexQuote(id, (built as { events: Parameters<typeof indexQuote>[1] }).events, now, v);
    else if ((built as { row?: OrderTrackingRow }).row)
      await indexOrder(id, (built as { row: OrderTrackingRow }).row, v);
  }
};

export type SearchDifference = {
  type: DocType;
  id: string;
  source: { version: number; state: string };
  problem: SearchDocProblem;
};

export type SearchRebuildReport = {
  fromVersion: number;
  toVersion: number;
  switched: boolean;
  documents: number;
  /** Documents of the new version that disagree with their aggregate (none when it switched). */
  differences: SearchDifference[];
  unreadable: string[];
};

const storedForCompare = (type: DocType, stored: Stored | undefined) => {
  const doc = stored && docOf(type, stored);
  return stored && doc ? { version: versionOf(type, stored), doc } : undefined;
};

/**
 * Blue/green rebuild of the search index (requirements 003 §22.1): a new version is marked as
 * building (the projector then writes live changes to it too), every document is built into it
 * from its aggregate (of any age), then each is compared with its aggregate (version, state and
 * content checksum); the pointer switches to it only when all agree. The old version stays as
 * `previous`, still written live, for `ops rollback-search`. Paced like the read-model rebuild.
 */
export const rebuildSearchIndex = async (
  options: { maxDocumentsPerSecond?: number; now?: () => string } = {},
): Promise<SearchRebuildReport> => {
  const now = options.now ?? (() => new Date().toISOString());
  const throttle = writeThrottle(options.maxDocumentsPerSecond ?? Number.POSITIVE_INFINITY);
  const pointer = await loadSearchPointer();
  const building = startSearchBuild(pointer, searchIndexSpec.schemaVersion);
  await saveSearchPointer(building, pointer);
  const target = building.building!;
  const into = [{ version: target, schema: schemaOfVersion(building, target) }];
  const report: SearchRebuildReport = {
    fromVersion: pointer.active,
    toVersion: target,
    switched: false,
    documents: 0,
    differences: [],
    unreadable: [],
  };
  for (const type of ['quote', 'order'] as const) {
    for (const { data, version } of await loadAllOfType(type)) {
      const id = String(data.id);
      const source = { version, state: String(data.state) };
      await throttle();
      const at = now();
      try {
        await reindexFromAggregate(type, data, version, at, into);
      } catch {
        report.unreadable.push(`${type}#${id}`);
        continue;
      }
      report.documents++;
      const stored = storedForCompare(type, await loadDoc(type, id, target));
      const problem = searchDocProblem(stored, source, expectedDoc(type, data, version, at).doc);
      if (problem) report.differences.push({ type, id, source, problem });
    }
  }
  if (report.differences.length === 0 && report.unreadable.length === 0) {
    await saveSearchPointer(switchSearch(building, now()), { ...building, exists: true });
    report.switched = true;
  }
  return report;
};

export type SearchRollbackReport = { fromVersion: number; toVersion: number };

/** `ops rollback-search`: the active and previous versions trade places (a build in progress is abandoned). */
export const rollbackSearchIndex = async (now = new Date().toISOString()): Promise<SearchRollbackReport> => {
  const pointer = await loadSearchPointer();
  const next = rollBackSearch(pointer, now);
  await saveSearchPointer(next, pointer);
  return { fromVersion: pointer.active, toVersion: next.active };
};
