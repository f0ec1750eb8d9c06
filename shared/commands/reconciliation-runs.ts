import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loadAggregate, saveAggregate, VersionConflict } from '#adapters/aggregate-store';
import { activeSubscriptionsPage, billingSubscriptionOf } from '#adapters/billing-subscriptions';
import { putSummaryGauge } from '#adapters/gauge-store';
import {
  factsOf,
  type Item,
  loadByIds,
  productFacts,
  productFactsByIds,
} from '#adapters/reconciliation-sources';
import { typePage } from '#adapters/type-index';
import type { InstalledProduct } from '#domain/inventory/product';
import {
  type CheckName,
  checkNames,
  countByClassification,
  type Finding,
} from '#domain/reconciliation/findings';
import type { ProductFacts, SubscriptionFacts } from '#domain/reconciliation/installed-base-drift';
import {
  type CheckSummary,
  keepFindings,
  mergeSummaries,
  planSegments,
  progressOf,
  type RunProgress,
  type SegmentState,
} from '#domain/reconciliation/segments';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { decideOnCurrent } from './optimistic-concurrency.ts';
import { checkPage, findingsOf, thresholds } from './reconciliation-runner.ts';

export type RunScope = {
  checks?: CheckName[];
  quoteIds?: string[];
  orderIds?: string[];
  productIds?: string[];
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
  /** Segments the run was cut into (set by the workflow's plan step). */
  segments?: string[];
};

const maxFindings = 300;
const maxFindingsPerSegment = 100;
const segmentRetentionSeconds = 30 * 86_400;
const now = () => new Date().toISOString();
const table = () => env.table('aggregates');
const segmentPk = (runId: string) => `RECONSEG#${runId}`;

const addCounts = (a: Record<string, number>, b: Record<string, number>) => {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
};

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

const saveRun = (run: ReconciliationRun, expectedVersion: number, correlationId: string, at: string) =>
  saveAggregate({
    kind: 'RECON',
    id: run.id,
    expectedVersion,
    aggregate: run,
    events: [],
    correlationId,
    now: at,
    attributes: { state: run.status, driftCount: run.driftCount },
  });

export type RunRequest = {
  runId: string;
  scope: RunScope;
  trigger: 'api' | 'schedule';
  actor: string;
  correlationId: string;
};

/** Records a run (RUNNING) once per id: a second start with the same id returns the first. */
export const createRun = async (input: RunRequest): Promise<{ run: ReconciliationRun; created: boolean }> => {
  const checks = input.scope.checks?.length ? input.scope.checks : [...checkNames];
  const label =
    input.scope.quoteIds || input.scope.orderIds || input.scope.productIds
      ? `quotes:${(input.scope.quoteIds ?? []).length} orders:${(input.scope.orderIds ?? []).length}${
          input.scope.productIds ? ` products:${input.scope.productIds.length}` : ''
        }`
      : 'all';
  const run: ReconciliationRun = {
    id: input.runId,
    scope: { ...input.scope, checks, label },
    trigger: input.trigger,
    requestedBy: input.actor,
    status: 'RUNNING',
    startedAt: now(),
    thresholdsMs: thresholds(),
    checks: [],
    findings: [],
    driftCount: 0,
  };
  try {
    await saveRun(run, 0, input.correlationId, run.startedAt);
    return { run, created: true };
  } catch (error) {
    if (!(error instanceof VersionConflict)) throw error;
    const existing = await loadAggregate<ReconciliationRun>('RECON', run.id);
    if (existing) return { run: existing.aggregate, created: false };
    throw error;
  }
};

export const loadRun = async (runId: string): Promise<ReconciliationRun | undefined> =>
  (await loadAggregate<ReconciliationRun>('RECON', runId))?.aggregate;

const loadSegment = async (runId: string, segmentId: string): Promise<SegmentState | undefined> => {
  const res = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: segmentPk(runId), sk: segmentId },
      ConsistentRead: true,
    }),
  );
  return res.Item?.data as SegmentState | undefined;
};

/** Writes a segment only over the revision it was read at: a duplicate invocation cannot double-count. */
const saveSegment = async (runId: string, next: SegmentState, expectedRevision: number): Promise<boolean> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: {
          pk: segmentPk(runId),
          sk: next.id,
          revision: next.revision,
          expiresAt: Math.floor(Date.now() / 1000) + segmentRetentionSeconds,
          data: next,
        },
        ConditionExpression: expectedRevision === 0 ? 'attribute_not_exists(pk)' : 'revision = :r',
        ...(expectedRevision === 0 ? {} : { ExpressionAttributeValues: { ':r': expectedRevision } }),
      }),
    );
    return true;
  } catch (error) {
    if (
      error instanceof ConditionalCheckFailedException ||
      (error as Error).name === 'ConditionalCheckFailedException'
    )
      return false;
    throw error;
  }
};

/** The run's segments (at most a few dozen: one query page). */
export const loadSegments = async (runId: string): Promise<SegmentState[]> => {
  const res = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': segmentPk(runId) },
      ConsistentRead: true,
      Limit: 100,
    }),
  );
  return (res.Items ?? []).map((i) => i.data as SegmentState);
};

/**
 * Plan step: cuts the run into segments and creates each segment's checkpoint unless it exists,
 * so a re-started run keeps the progress it made.
 */
export const planRun = async (runId: string, correlationId: string): Promise<string[]> => {
  const stored = await loadAggregate<ReconciliationRun>('RECON', runId);
  if (!stored) throw new Error(`Reconciliation run ${runId} not found`);
  const specs = planSegments(stored.aggregate.scope);
  for (const spec of specs) {
    const initial: SegmentState = {
      ...spec,
      done: false,
      pages: 0,
      examined: 0,
      checks: [],
      findings: [],
      findingsDropped: 0,
      byClassification: {},
      revision: 1,
    };
    await saveSegment(runId, initial, 0);
  }
  if (!stored.aggregate.segments) {
    const run = { ...stored.aggregate, segments: specs.map((s) => s.id) };
    await saveRun(run, stored.version, correlationId, now()).catch((error) => {
      if (!(error instanceof VersionConflict)) throw error;
    });
  }
  return specs.map((s) => s.id);
};

type Page = {
  quotes: Item[];
  orders: Item[];
  products: ProductFacts[];
  subscriptions?: SubscriptionFacts[];
  next?: string;
  /** The list key of each order or product: a page cut short resumes after the last one it checked. */
  keys?: string[];
};

const pageOf = async (run: ReconciliationRun, segment: SegmentState, pageSize: number): Promise<Page> => {
  if (segment.source === 'ids') {
    const productIds = run.scope.productIds ?? [];
    const [quotes, orders, products] = await Promise.all([
      loadByIds('QUOTE', run.scope.quoteIds ?? []),
      loadByIds('ORDER', run.scope.orderIds ?? []),
      productFactsByIds(productIds),
    ]);
    return {
      quotes,
      orders,
      products: [...products.values()],
      // The reverse pair of a scoped run: the billing subscriptions of its products, by key.
      ...(run.scope.checks.includes('billed-subscription-has-product') && productIds.length > 0
        ? { subscriptions: await subscriptionsOf(productIds) }
        : {}),
    };
  }
  if (segment.source === 'billing') {
    const page = await activeSubscriptionsPage(pageSize, segment.after);
    return { quotes: [], orders: [], products: [], subscriptions: page.subscriptions, next: page.next };
  }
  const page = await typePage(segment.source, segment.shard ?? 0, pageSize, segment.after);
  const keys = page.items.map(({ item }) => String(item.listKey));
  const items: Item[] = page.items.map(({ data, version }) => ({ data, version }));
  if (segment.source === 'quote') return { quotes: items, orders: [], products: [], next: page.next };
  if (segment.source === 'product') {
    const products = page.items.map(({ data, version }) =>
      productFacts({ ...(data as unknown as InstalledProduct), version }),
    );
    return { quotes: [], orders: [], products, next: page.next, keys };
  }
  return { quotes: [], orders: items, products: [], next: page.next, keys };
};

/** Billing's subscriptions of the given products (a scoped run); one billing cannot answer is left out. */
const subscriptionsOf = async (productIds: string[]): Promise<SubscriptionFacts[]> =>
  (await Promise.all(productIds.map(billingSubscriptionOf))).flatMap((a) =>
    a.status === 'FOUND' ? [a.subscription] : [],
  );

/**
 * Time a page keeps for itself when it starts a downstream query: the query's own timeout and
 * the checkpoint after it, so a page over a hanging downstream ends before the function's timeout.
 */
const pageReserveMs = () => env.downstreamTimeoutMs() + envInt('RECON_CHECKPOINT_RESERVE_MS', 5_000);

/**
 * Segment step: checks pages of one segment, writing the checkpoint after each page, until the
 * segment is done or this invocation's budget (pages, remaining time) is spent. One page is in
 * memory at a time.
 */
export const processSegment = async (
  runId: string,
  segmentId: string,
  budget: { remainingMs: () => number },
): Promise<{ done: boolean; pages: number }> => {
  const run = await loadRun(runId);
  if (!run) throw new Error(`Reconciliation run ${runId} not found`);
  const pageSize = envInt('RECON_PAGE_SIZE', 50);
  const maxPages = envInt('RECON_PAGES_PER_INVOCATION', 10);
  const startBudget = budget.remainingMs();
  let pages = 0;
  for (;;) {
    const segment = await loadSegment(runId, segmentId);
    if (!segment) throw new Error(`Segment ${segmentId} of run ${runId} not planned`);
    if (segment.done) return { done: true, pages };
    const page = await pageOf(run, segment, pageSize);
    const at = now();
    // Keyed pages may be cut short by the time left; a run scoped to ids has no cursor to resume from.
    const collected = await checkPage(
      {
        ...(await factsOf(page.quotes, page.orders)),
        products: page.products,
        ...(page.subscriptions ? { subscriptions: page.subscriptions } : {}),
      },
      run.scope.checks,
      at,
      page.keys ? { remainingMs: budget.remainingMs, reserveMs: pageReserveMs() } : undefined,
    );
    // A keyed page holds orders or products: the ones checked in time end it.
    const listed = page.orders.length + page.products.length;
    const checked = page.orders.length > 0 ? collected.checkedOrders : collected.checkedProducts;
    const cut = page.keys && checked < listed ? page.keys[checked - 1] : undefined;
    const after = cut ?? page.next;
    // No time left for even one of the page: the next invocation starts from here.
    if (page.keys && listed > 0 && checked === 0) return { done: false, pages };
    const found = await findingsOf(collected, {
      runId,
      scope: run.scope.label,
      actor: run.requestedBy,
      detectedAt: at,
      now,
    });
    const kept = keepFindings(segment.findings, found, maxFindingsPerSegment);
    const next: SegmentState = {
      ...segment,
      ...(after ? { after } : {}),
      done: after === undefined,
      pages: segment.pages + 1,
      examined:
        segment.examined +
        page.quotes.length +
        page.orders.length +
        page.products.length +
        (page.subscriptions?.length ?? 0),
      checks: mergeSummaries(segment.checks, collected.summaries),
      findings: kept.findings,
      findingsDropped: segment.findingsDropped + kept.dropped,
      byClassification: addCounts(segment.byClassification ?? {}, countByClassification(found)),
      revision: segment.revision + 1,
    };
    // Lost the race to a duplicate invocation: read its checkpoint and go on from there.
    if (!(await saveSegment(runId, next, segment.revision))) continue;
    pages++;
    if (next.done) return { done: true, pages };
    if (cut || pages >= maxPages || budget.remainingMs() < startBudget / 2) return { done: false, pages };
  }
};

/** Finish step: the run's summary and findings from its segments, or its failure. */
export const finishRun = async (
  runId: string,
  correlationId: string,
  error?: { Error?: string; Cause?: string },
): Promise<ReconciliationRun> => {
  const finished = await decideOnCurrent({
    load: async () => {
      const stored = await loadAggregate<ReconciliationRun>('RECON', runId);
      if (!stored) throw new Error(`Reconciliation run ${runId} not found`);
      return stored;
    },
    decide: async ({ aggregate: current }) => {
      if (current.status !== 'RUNNING') return { aggregate: current, events: [], result: false };
      const segments = await loadSegments(runId);
      const run: ReconciliationRun = { ...current, completedAt: now() };
      if (error || segments.some((s) => !s.done)) {
        run.status = 'FAILED';
        run.error = error
          ? `${error.Error ?? 'Error'}: ${error.Cause ?? ''}`.slice(0, 1000)
          : 'segments left unfinished';
      } else run.status = 'COMPLETED';
      run.checks = segments.reduce<CheckSummary[]>((acc, s) => mergeSummaries(acc, s.checks), []);
      const all = segments.reduce(
        (acc, s) => {
          const kept = keepFindings(acc.findings, s.findings, maxFindings);
          return { findings: kept.findings, dropped: acc.dropped + kept.dropped + s.findingsDropped };
        },
        { findings: [] as Finding[], dropped: 0 },
      );
      run.findings = all.findings;
      run.driftCount = all.findings.length + all.dropped;
      run.byClassification = segments.reduce<Record<string, number>>(
        (acc, s) => addCounts(acc, s.byClassification ?? {}),
        {},
      );
      if (all.dropped > 0) run.findingsTruncated = all.dropped;
      return { aggregate: run, events: [], result: true, changed: true };
    },
    save: ({ aggregate: run }, expectedVersion) =>
      saveRun(run, expectedVersion, correlationId, run.completedAt!),
  });
  const run = finished.aggregate;
  // The dashboard's drift gauge: the latest completed run.
  if (finished.result && run.status === 'COMPLETED') {
    await putSummaryGauge('reconciliation', {
      runId: run.id,
      completedAt: run.completedAt,
      scope: run.scope.label,
      driftCount: run.driftCount,
      byClassification: run.byClassification ?? {},
    });
  }
  return run;
};

/** A run as `GET` shows it: while running, its progress from the segment checkpoints. */
export const runWithProgress = async (
  runId: string,
): Promise<(ReconciliationRun & { progress?: RunProgress }) | undefined> => {
  const run = await loadRun(runId);
  if (!run) return undefined;
  const segments = await loadSegments(runId);
  return { ...run, progress: progressOf(segments) };
};
