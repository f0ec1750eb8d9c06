import type { TimelineEntry } from '#domain/projections/account-timeline';
import { type RowViewName, type ViewName, viewNames } from '#domain/projections/views';
import { canonicalHash } from '#domain/quote/canonical-hash';
import {
  acceptedQuotesNotConverted,
  type DownstreamAnswer,
  fulfilledWithoutBilling,
  type OrderFacts,
  ordersNotStarted,
  type PartitionDifference,
  projectionDrift,
  taskAgainstDownstream,
} from '#domain/reconciliation/checks';
import {
  type CheckName,
  checkNames,
  countByClassification,
  type Finding,
  type FindingDraft,
  findingKey,
} from '#domain/reconciliation/findings';
import { loadAggregate, saveAggregate, VersionConflict } from './aggregate-store.ts';
import { queryDownstream } from './downstream-client.ts';
import { putSummaryGauge } from './gauge-store.ts';
import {
  comparePartitions,
  loadSourceEvents,
  type Partitions,
  replayView,
  storedPartitions,
} from './projection-rebuild.ts';
import { loadPointer, replaceRow, replaceTimelineEntries } from './read-model-store.ts';
import { loadFacts } from './reconciliation-sources.ts';

export type RunScope = {
  checks?: CheckName[];
  quoteIds?: string[];
  orderIds?: string[];
};

export type CheckSummary = {
  check: CheckName;
  examined: number;
  findings: number;
  unverified?: number;
  /** Differences not reported: within the projection grace (lag) or past the outbox retention. */
  skipped?: { withinGrace: number; pastRetention: number };
  views?: {
    view: ViewName;
    activeVersion: number;
    partitions: number;
    sourceChecksum: string;
    projectionChecksum: string;
  }[];
};

export type ReconciliationRun = {
  id: string;
  scope: RunScope & { checks: CheckName[]; label: string };
  trigger: 'api' | 'schedule';
  requestedBy: string;
  status: 'RUNNING' | 'COMPLETED' | 'FAILED';
  startedAt: string;
  completedAt?: string;
  thresholdsMs: Record<string, number>;
  checks: CheckSummary[];
  findings: Finding[];
  driftCount: number;
  /** Findings per classification, counted before the list is truncated. */
  byClassification?: Record<string, number>;
  findingsTruncated?: number;
  error?: string;
};

const envMs = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 && process.env[name] !== '' && process.env[name] !== undefined
    ? v
    : fallback;
};

/** Thresholds, configurable per environment. */
export const thresholds = () => ({
  acceptedNotConverted: envMs('RECON_ACCEPTED_NOT_CONVERTED_MS', 60 * 60_000),
  orderNotStarted: envMs('RECON_ORDER_NOT_STARTED_MS', 15 * 60_000),
  fulfilledNotBilled: envMs('RECON_FULFILLED_NOT_BILLED_MS', 60 * 60_000),
  projectionGrace: envMs('RECON_PROJECTION_GRACE_MS', 10_000),
});

const maxFindings = 300;
const outboxRetentionMs = 6 * 86_400_000;

const pool = async <T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
};

const ask = async (system: 'provisioning' | 'billing', correlationId: string): Promise<DownstreamAnswer> => {
  try {
    const r = await queryDownstream(system, correlationId);
    return r.status === 'NOT_FOUND' ? r : { status: r.status, downstreamRef: r.downstreamRef };
  } catch (error) {
    return { status: 'UNAVAILABLE', error: (error as Error).name };
  }
};

const lastEventTime = (content: unknown): string | undefined => {
  if (content === undefined || content === null) return undefined;
  if (Array.isArray(content))
    return (content as TimelineEntry[])
      .map((e) => e.occurredAt)
      .sort()
      .at(-1);
  return (content as { freshness?: { sourceEventTime?: string } }).freshness?.sourceEventTime;
};

type Collected = {
  drafts: FindingDraft[];
  summaries: CheckSummary[];
  repairs: Map<FindingDraft, () => Promise<void>>;
};

const checkProjections = async (scope: RunScope, now: string, graceMs: number, out: Collected) => {
  const scoped = scope.quoteIds !== undefined || scope.orderIds !== undefined;
  const events = scoped
    ? (
        await Promise.all([
          ...(scope.quoteIds ?? []).map((id) =>
            loadSourceEvents({ aggregateType: 'QUOTE', aggregateId: id }),
          ),
          ...(scope.orderIds ?? []).map((id) =>
            loadSourceEvents({ aggregateType: 'ORDER', aggregateId: id }),
          ),
        ])
      ).flat()
    : await loadSourceEvents();
  const ids = new Set([...(scope.quoteIds ?? []), ...(scope.orderIds ?? [])]);
  const views = scoped ? viewNames.filter((v) => v !== 'account-timeline') : viewNames;
  const summary: CheckSummary = {
    check: 'projection-vs-source',
    examined: 0,
    findings: 0,
    skipped: { withinGrace: 0, pastRetention: 0 },
    views: [],
  };
  for (const view of views) {
    const { active } = await loadPointer(view);
    const source = replayView(view, events, now);
    const stored = await storedPartitions(view, active);
    const projection: Partitions = scoped ? new Map([...stored].filter(([k]) => ids.has(k))) : stored;
    const checksum = (p: Partitions) => canonicalHash([...p].map(([k, v]) => [k, v.checksum]).sort());
    summary.views!.push({
      view,
      activeVersion: active,
      partitions: source.size,
      sourceChecksum: checksum(source),
      projectionChecksum: checksum(projection),
    });
    summary.examined += source.size;
    for (const diff of comparePartitions(source, projection)) {
      const s = source.get(diff.partition);
      const p = projection.get(diff.partition);
      // Lag is not drift: the projector may not have caught up with a recent event yet.
      const sourceAt = lastEventTime(s?.content);
      if (s && sourceAt && Date.parse(now) - Date.parse(sourceAt) < graceMs) {
        summary.skipped!.withinGrace++;
        continue;
      }
      // Source events past the outbox retention cannot be compared.
      const projectedAt = lastEventTime(p?.content);
      if (!s && projectedAt && Date.parse(now) - Date.parse(projectedAt) > outboxRetentionMs) {
        summary.skipped!.pastRetention++;
        continue;
      }
      const draft = projectionDrift({ ...diff, view } as PartitionDifference);
      out.drafts.push(draft);
      summary.findings++;
      if (draft.repairDecision.mode === 'AUTO' && s) {
        out.repairs.set(draft, async () => {
          if (view === 'account-timeline') await replaceTimelineEntries(active, s.content as TimelineEntry[]);
          else {
            const row = s.content as { freshness: { sourceVersion: number } };
            await replaceRow(view as RowViewName, active, diff.partition, row);
          }
        });
      }
    }
  }
  out.summaries.push(summary);
};

const checkDownstream = async (orders: OrderFacts[], out: Collected) => {
  const pairs = orders.flatMap((order) =>
    order.tasks.filter((t) => t.correlationId).map((task) => ({ order, task })),
  );
  const answers = await pool(pairs, 8, ({ task }) => ask(task.downstream, task.correlationId));
  let unverified = 0;
  let findings = 0;
  pairs.forEach(({ order, task }, i) => {
    const answer = answers[i]!;
    if (answer.status === 'UNAVAILABLE') {
      unverified++;
      return;
    }
    const draft = taskAgainstDownstream(order, task, answer);
    if (draft) {
      out.drafts.push(draft);
      findings++;
    }
  });
  out.summaries.push({ check: 'task-vs-downstream', examined: pairs.length, findings, unverified });
};

/**
 * One reconciliation run: reads the sources of truth (aggregates, downstream systems, outbox),
 * compares each pair, records every finding on the run (aggregate kind RECON), performs only
 * the repairs declared safe, and publishes the drift count as a metric.
 */
export const runReconciliation = async (input: {
  runId: string;
  scope: RunScope;
  trigger: 'api' | 'schedule';
  actor: string;
  now?: () => string;
  correlationId: string;
}): Promise<{ run: ReconciliationRun; created: boolean }> => {
  const now = input.now ?? (() => new Date().toISOString());
  const checks = input.scope.checks?.length ? input.scope.checks : [...checkNames];
  const label =
    input.scope.quoteIds || input.scope.orderIds
      ? `quotes:${(input.scope.quoteIds ?? []).length} orders:${(input.scope.orderIds ?? []).length}`
      : 'all';
  const t = thresholds();
  const run: ReconciliationRun = {
    id: input.runId,
    scope: { ...input.scope, checks, label },
    trigger: input.trigger,
    requestedBy: input.actor,
    status: 'RUNNING',
    startedAt: now(),
    thresholdsMs: t,
    checks: [],
    findings: [],
    driftCount: 0,
  };
  try {
    await saveAggregate({
      kind: 'RECON',
      id: run.id,
      expectedVersion: 0,
      aggregate: run,
      events: [],
      correlationId: input.correlationId,
      now: run.startedAt,
      attributes: { state: run.status },
    });
  } catch (error) {
    if (!(error instanceof VersionConflict)) throw error;
    const existing = await loadAggregate<ReconciliationRun>('RECON', run.id);
    if (existing) return { run: existing.aggregate, created: false };
    throw error;
  }
  const out: Collected = { drafts: [], summaries: [], repairs: new Map() };
  try {
    const facts = await loadFacts(input.scope);
    const at = now();
    if (checks.includes('accepted-quote-converted')) {
      const d = acceptedQuotesNotConverted(facts.quotes, facts.convertedQuoteIds, at, t.acceptedNotConverted);
      out.drafts.push(...d);
      out.summaries.push({
        check: 'accepted-quote-converted',
        examined: facts.quotes.length,
        findings: d.length,
      });
    }
    if (checks.includes('order-execution-started')) {
      const d = ordersNotStarted(facts.orders, at, t.orderNotStarted);
      out.drafts.push(...d);
      out.summaries.push({
        check: 'order-execution-started',
        examined: facts.orders.length,
        findings: d.length,
      });
    }
    if (checks.includes('task-vs-downstream')) await checkDownstream(facts.orders, out);
    if (checks.includes('fulfilled-item-billed')) {
      const d = facts.orders.flatMap((o) => fulfilledWithoutBilling(o, at, t.fulfilledNotBilled));
      out.drafts.push(...d);
      out.summaries.push({
        check: 'fulfilled-item-billed',
        examined: facts.orders.length,
        findings: d.length,
      });
    }
    if (checks.includes('projection-vs-source'))
      await checkProjections(input.scope, at, t.projectionGrace, out);
    for (const draft of out.drafts) {
      const finding: Finding = {
        ...draft,
        id: findingKey(draft),
        runId: run.id,
        scope: label,
        actor: input.actor,
        detectedAt: at,
        resultingState: 'OPEN',
      };
      const repair = out.repairs.get(draft);
      if (repair) {
        try {
          await repair();
          finding.resultingState = 'REPAIRED';
          finding.repairedAt = now();
        } catch (error) {
          finding.resultingState = 'REPAIR_FAILED';
          finding.repairError = (error as Error).message;
        }
      }
      run.findings.push(finding);
    }
    run.driftCount = run.findings.length;
    run.byClassification = countByClassification(run.findings);
    if (run.findings.length > maxFindings) {
      run.findingsTruncated = run.findings.length - maxFindings;
      run.findings = run.findings.slice(0, maxFindings);
    }
    run.checks = out.summaries;
    run.status = 'COMPLETED';
  } catch (error) {
    run.status = 'FAILED';
    run.error = (error as Error).message;
  }
  run.completedAt = now();
  await saveAggregate({
    kind: 'RECON',
    id: run.id,
    expectedVersion: 1,
    aggregate: run,
    events: [],
    correlationId: input.correlationId,
    now: run.completedAt,
    attributes: { state: run.status, driftCount: run.driftCount },
  });
  if (run.status === 'COMPLETED') {
    await putSummaryGauge('reconciliation', {
      runId: run.id,
      completedAt: run.completedAt,
      scope: run.scope.label,
      driftCount: run.driftCount,
      byClassification: run.byClassification ?? {},
    });
  }
  return { run, created: true };
};

export const loadRun = async (runId: string): Promise<ReconciliationRun | undefined> =>
  (await loadAggregate<ReconciliationRun>('RECON', runId))?.aggregate;
