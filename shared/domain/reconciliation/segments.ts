import { shardCount } from '../access/list-keys.ts';
import type { ViewName } from '../projections/views.ts';
import type { CheckName, Finding } from './findings.ts';

/**
 * A reconciliation run is cut into segments, each walked page by page with a checkpoint after
 * every page: a run resumes where its checkpoints say, and one invocation holds one page.
 * Segments are the shards of the type index (quotes, orders, installed products), billing's own
 * paged subscription listing (one segment: its cursor is billing's), or, for a run scoped to
 * ids, the ids.
 */
export type SegmentSource = 'quote' | 'order' | 'product' | 'billing' | 'ids';
export type SegmentSpec = { id: string; source: SegmentSource; shard?: number };

export type CheckSummary = {
  check: CheckName;
  examined: number;
  findings: number;
  unverified?: number;
  /** Differences not reported: within the projection grace (lag) or past the outbox retention. */
  skipped?: { withinGrace: number; pastRetention: number };
  views?: { view: ViewName; activeVersion: number; partitions: number; differences: number }[];
};

export type RunScopeIds = {
  checks: CheckName[];
  quoteIds?: string[];
  orderIds?: string[];
  productIds?: string[];
};

const quoteChecks: CheckName[] = ['accepted-quote-converted', 'projection-vs-source'];
const orderChecks: CheckName[] = [
  'order-execution-started',
  'task-vs-downstream',
  'fulfilled-item-billed',
  'projection-vs-source',
  'fulfilled-item-in-inventory',
];
const productChecks: CheckName[] = ['product-billed'];
const billingChecks: CheckName[] = ['billed-subscription-has-product'];

export const planSegments = (scope: RunScopeIds): SegmentSpec[] => {
  if (scope.quoteIds !== undefined || scope.orderIds !== undefined || scope.productIds !== undefined)
    return [{ id: 'ids', source: 'ids' }];
  const shards = (source: 'quote' | 'order' | 'product') =>
    Array.from({ length: shardCount }, (_, shard) => ({
      id: `${source}#${String(shard).padStart(2, '0')}`,
      source,
      shard,
    }));
  return [
    ...(scope.checks.some((c) => quoteChecks.includes(c)) ? shards('quote') : []),
    ...(scope.checks.some((c) => orderChecks.includes(c)) ? shards('order') : []),
    ...(scope.checks.some((c) => productChecks.includes(c)) ? shards('product') : []),
    ...(scope.checks.some((c) => billingChecks.includes(c))
      ? [{ id: 'billing', source: 'billing' as const }]
      : []),
  ];
};

/** Adds per-check counts of one page to what a segment (or the run) has so far. */
export const mergeSummaries = (into: CheckSummary[], add: CheckSummary[]): CheckSummary[] => {
  const out = new Map(into.map((s) => [s.check, structuredClone(s)]));
  for (const s of add) {
    const current = out.get(s.check);
    if (!current) {
      out.set(s.check, structuredClone(s));
      continue;
    }
    current.examined += s.examined;
    current.findings += s.findings;
    if (s.unverified !== undefined) current.unverified = (current.unverified ?? 0) + s.unverified;
    if (s.skipped) {
      current.skipped = {
        withinGrace: (current.skipped?.withinGrace ?? 0) + s.skipped.withinGrace,
        pastRetention: (current.skipped?.pastRetention ?? 0) + s.skipped.pastRetention,
      };
    }
    for (const v of s.views ?? []) {
      current.views ??= [];
      const existing = current.views.find((x) => x.view === v.view && x.activeVersion === v.activeVersion);
      if (existing) {
        existing.partitions += v.partitions;
        existing.differences += v.differences;
      } else current.views.push({ ...v });
    }
  }
  return [...out.values()];
};

/** Findings kept on a record are capped (item size); the count of dropped ones is kept. */
export const keepFindings = (kept: Finding[], added: Finding[], cap: number) => {
  const seen = new Set(kept.map((f) => f.id));
  const fresh = added.filter((f) => !seen.has(f.id));
  const room = Math.max(0, cap - kept.length);
  return { findings: [...kept, ...fresh.slice(0, room)], dropped: Math.max(0, fresh.length - room) };
};

export type SegmentState = {
  id: string;
  source: SegmentSource;
  shard?: number;
  /** List key of the last aggregate checked: the checkpoint. */
  after?: string;
  done: boolean;
  pages: number;
  examined: number;
  checks: CheckSummary[];
  findings: Finding[];
  findingsDropped: number;
  /** Findings per classification, counted before the cap. */
  byClassification?: Record<string, number>;
  revision: number;
};

export type RunProgress = {
  segments: number;
  segmentsDone: number;
  pages: number;
  aggregatesExamined: number;
  findingsSoFar: number;
};

export const progressOf = (segments: SegmentState[]): RunProgress => ({
  segments: segments.length,
  segmentsDone: segments.filter((s) => s.done).length,
  pages: segments.reduce((n, s) => n + s.pages, 0),
  aggregatesExamined: segments.reduce((n, s) => n + s.examined, 0),
  findingsSoFar: segments.reduce((n, s) => n + s.findings.length + s.findingsDropped, 0),
});
