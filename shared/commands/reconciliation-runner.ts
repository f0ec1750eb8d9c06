import { loadAggregate } from '#adapters/aggregate-store';
import { billingSubscriptionOf } from '#adapters/billing-subscriptions';
import { queryDownstream } from '#adapters/downstream-client';
import { restartFulfillment, runningExecutionNames } from '#adapters/fulfillment-restart';
import {
  comparePartitions,
  loadSourceEvents,
  type Partitions,
  replayView,
} from '#adapters/projection-replay';
import { loadPointer, loadRow, replaceRow } from '#adapters/read-model-store';
import { productFactsByIds } from '#adapters/reconciliation-sources';
import { indexedVersion, reindexFromAggregate } from '#adapters/search-reindex';
import type { Downstream } from '#domain/order/fulfillment-task';
import { contentChecksum } from '#domain/projections/source-event';
import { type RowViewName, rowViewOf, type ViewName, viewNames } from '#domain/projections/views';
import {
  acceptedQuotesNotConverted,
  type DownstreamAnswer,
  fulfilledWithoutBilling,
  type OrderFacts,
  type PartitionDifference,
  projectionDrift,
  type QuoteFacts,
  taskAgainstDownstream,
} from '#domain/reconciliation/checks';
import { type CheckName, type Finding, type FindingDraft, findingKey } from '#domain/reconciliation/findings';
import {
  activeProductAgainstBilling,
  type BillingAnswer,
  billedSubscriptionAgainstProduct,
  fulfilledItemAgainstInventory,
  type ProductFacts,
  type SubscriptionFacts,
} from '#domain/reconciliation/installed-base-drift';
import { searchIndexDrift } from '#domain/reconciliation/search-drift';
import type { CheckSummary } from '#domain/reconciliation/segments';
import { strandedOrders } from '#domain/reconciliation/stranded-orders';
import { logger } from '#plumbing/observability';

export type { CheckSummary } from '#domain/reconciliation/segments';

const envMs = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 && process.env[name] !== '' && process.env[name] !== undefined
    ? v
    : fallback;
};

/** Thresholds, configurable per environment. */
export const thresholds = () => ({
  acceptedNotConverted: envMs('RECON_ACCEPTED_NOT_CONVERTED_MS', 60 * 60_000),
  orderStranded: envMs('RECON_ORDER_STRANDED_MS', 15 * 60_000),
  fulfilledNotBilled: envMs('RECON_FULFILLED_NOT_BILLED_MS', 60 * 60_000),
  projectionGrace: envMs('RECON_PROJECTION_GRACE_MS', 10_000),
  /** A subscription billing changed this recently may belong to an order not completed yet. */
  billingGrace: envMs('RECON_BILLING_GRACE_MS', 5 * 60_000),
});

const outboxRetentionMs = 6 * 86_400_000;

const pool = async <T, R>(items: T[], size: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
};

const ask = async (system: Downstream, correlationId: string): Promise<DownstreamAnswer> => {
  try {
    const r = await queryDownstream(system, correlationId);
    return r.status === 'NOT_FOUND' ? r : { status: r.status, downstreamRef: r.downstreamRef };
  } catch (error) {
    return { status: 'UNAVAILABLE', error: (error as Error).name };
  }
};

const eventTimeOf = (content: unknown): string | undefined =>
  (content as { freshness?: { sourceEventTime?: string } } | undefined)?.freshness?.sourceEventTime;

export type Collected = {
  drafts: FindingDraft[];
  summaries: CheckSummary[];
  repairs: Map<FindingDraft, () => Promise<void>>;
};

/**
 * Row views of the given aggregates, replayed from their own outbox events and compared with the
 * stored rows read by key: no view is read beyond the rows in question. (The account timeline
 * spans aggregates; its rebuild check is `npm run ops -- rebuild-projections`.)
 */
const checkProjections = async (
  ids: { quoteIds: string[]; orderIds: string[] },
  now: string,
  graceMs: number,
  out: Collected,
) => {
  const events = (
    await pool(
      [
        ...ids.quoteIds.map((id) => ({ aggregateType: 'QUOTE', aggregateId: id })),
        ...ids.orderIds.map((id) => ({ aggregateType: 'ORDER', aggregateId: id })),
      ],
      8,
      (filter) => loadSourceEvents(filter),
    )
  ).flat();
  const summary: CheckSummary = {
    check: 'projection-vs-source',
    examined: 0,
    findings: 0,
    skipped: { withinGrace: 0, pastRetention: 0 },
    views: [],
  };
  for (const view of viewNames.filter((v): v is RowViewName => v !== 'account-timeline')) {
    const { active } = await loadPointer(view);
    const source = replayView(view, events, now);
    const all = rowViewOf(view).source === 'QUOTE' ? ids.quoteIds : ids.orderIds;
    const rows = await pool(all, 8, (id) => loadRow<unknown>(view, active, id));
    const projection: Partitions = new Map();
    rows.forEach((stored, i) => {
      if (!stored) return;
      const content = stored.row as Record<string, unknown>;
      projection.set(all[i]!, {
        checksum: contentChecksum(content),
        sourceVersion: stored.sourceVersion,
        content,
      });
    });
    const diffs = comparePartitions(source, projection);
    summary.views!.push({ view, activeVersion: active, partitions: source.size, differences: 0 });
    summary.examined += source.size;
    for (const diff of diffs) {
      const s = source.get(diff.partition);
      const p = projection.get(diff.partition);
      // Lag is not drift: the projector may not have caught up with a recent event yet.
      const sourceAt = eventTimeOf(s?.content);
      if (s && sourceAt && Date.parse(now) - Date.parse(sourceAt) < graceMs) {
        summary.skipped!.withinGrace++;
        continue;
      }
      // Source events past the outbox retention cannot be compared.
      const projectedAt = eventTimeOf(p?.content);
      if (!s && projectedAt && Date.parse(now) - Date.parse(projectedAt) > outboxRetentionMs) {
        summary.skipped!.pastRetention++;
        continue;
      }
      const draft = projectionDrift({ ...diff, view } as PartitionDifference);
      out.drafts.push(draft);
      summary.findings++;
      summary.views!.at(-1)!.differences++;
      if (draft.repairDecision.mode === 'AUTO' && s) {
        const row = s.content as { freshness: { sourceVersion: number } };
        out.repairs.set(draft, () => replaceRow(view, active, diff.partition, row));
      }
    }
  }
  out.summaries.push(summary);
};

/**
 * Search documents against their aggregates, read by key for the page's aggregates only; a
 * document behind its aggregate is re-indexed from the aggregate (evidence first, then repair).
 * An aggregate changed within the grace period may simply not be projected yet: skipped.
 */
const checkSearchIndex = async (
  page: { quotes: QuoteFacts[]; orders: OrderFacts[] },
  now: string,
  graceMs: number,
  out: Collected,
) => {
  const subjects = [
    ...page.quotes.map((f) => ({ type: 'quote' as const, kind: 'QUOTE' as const, f })),
    ...page.orders.map((f) => ({ type: 'order' as const, kind: 'ORDER' as const, f })),
  ];
  const recent = (at?: string) => at !== undefined && Date.parse(now) - Date.parse(at) < graceMs;
  const settled = subjects.filter((s) => !recent(s.f.updatedAt));
  const indexed = await pool(settled, 8, (s) => indexedVersion(s.type, s.f.id));
  let findings = 0;
  settled.forEach((s, i) => {
    const draft = searchIndexDrift({
      type: s.type,
      id: s.f.id,
      source: { version: s.f.version, state: s.f.state },
      ...(indexed[i] ? { indexed: indexed[i] } : {}),
    });
    if (!draft) return;
    findings++;
    out.drafts.push(draft);
    out.repairs.set(draft, async () => {
      const stored = await loadAggregate<Record<string, unknown>>(s.kind, s.f.id);
      if (!stored) throw new Error(`${s.type} ${s.f.id} no longer exists`);
      await reindexFromAggregate(s.type, stored.aggregate, stored.version, now);
    });
  });
  out.summaries.push({
    check: 'search-vs-source',
    examined: settled.length,
    findings,
    skipped: { withinGrace: subjects.length - settled.length, pastRetention: 0 },
  });
};

/**
 * The time an invocation has left, and how much of it to keep: a downstream query is started
 * only while more than `reserveMs` is left (the query's own timeout plus the page's checkpoint).
 */
export type TimeBudget = { remainingMs: () => number; reserveMs: number };

/**
 * Tasks against their downstream, 8 queries at a time, in page order until the budget's reserve
 * is reached (an order already started is finished). Returns how many leading orders had every
 * task asked: the page's cut when time ran out.
 */
const checkDownstream = async (
  orders: OrderFacts[],
  out: Collected,
  budget?: TimeBudget,
): Promise<number> => {
  const pairs = orders.flatMap((order) =>
    order.tasks.filter((t) => t.correlationId).map((task) => ({ order, task })),
  );
  // An order once started is asked whole: a cut never falls inside an order, so no task is asked twice.
  const started = new Set<OrderFacts>();
  const answers = await pool(pairs, 8, ({ order, task }) => {
    const spent = budget !== undefined && budget.remainingMs() <= budget.reserveMs;
    if (spent && !started.has(order)) return Promise.resolve(undefined);
    started.add(order);
    return ask(task.downstream, task.correlationId);
  });
  const unasked = new Set(pairs.filter((_, i) => answers[i] === undefined).map((p) => p.order));
  const firstUnasked = orders.findIndex((o) => unasked.has(o));
  const checked = firstUnasked === -1 ? orders.length : firstUnasked;
  let unverified = 0;
  let findings = 0;
  let examined = 0;
  pairs.forEach(({ order, task }, i) => {
    if (orders.indexOf(order) >= checked) return;
    examined++;
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
  out.summaries.push({ check: 'task-vs-downstream', examined, findings, unverified });
  return checked;
};

export type PageFacts = {
  quotes: QuoteFacts[];
  orders: OrderFacts[];
  convertedQuoteIds: Set<string>;
  products?: ProductFacts[];
  subscriptions?: SubscriptionFacts[];
};

/**
 * Completed orders' items against the installed base. The products are read by key (the ids the
 * items name), so the check reads no product beyond the page's orders.
 */
const checkInstalledBase = async (orders: OrderFacts[], out: Collected) => {
  const pairs = orders
    .filter((o) => o.state === 'completed')
    .flatMap((order) => (order.items ?? []).map((item) => ({ order, item })));
  const products = await productFactsByIds(pairs.map((p) => p.item.productId));
  let findings = 0;
  for (const { order, item } of pairs) {
    const draft = fulfilledItemAgainstInventory(order, item, products.get(item.productId));
    if (!draft) continue;
    out.drafts.push(draft);
    findings++;
  }
  out.summaries.push({ check: 'fulfilled-item-in-inventory', examined: pairs.length, findings });
};

/**
 * Active products against their billing subscriptions, 8 queries at a time, in page order until
 * the budget's reserve is reached. Returns how many leading products were checked: the page's cut.
 */
const checkProductBilling = async (
  products: ProductFacts[],
  out: Collected,
  budget?: TimeBudget,
): Promise<number> => {
  const answers = await pool(products, 8, (p): Promise<BillingAnswer | undefined> => {
    if (p.status !== 'active') return Promise.resolve({ status: 'NOT_FOUND' });
    if (budget !== undefined && budget.remainingMs() <= budget.reserveMs) return Promise.resolve(undefined);
    return billingSubscriptionOf(p.id);
  });
  const firstUnasked = answers.indexOf(undefined);
  const checked = firstUnasked === -1 ? products.length : firstUnasked;
  const summary: CheckSummary = { check: 'product-billed', examined: 0, findings: 0, unverified: 0 };
  products.slice(0, checked).forEach((product, i) => {
    if (product.status !== 'active') return;
    summary.examined++;
    const answer = answers[i]!;
    if (answer.status === 'UNAVAILABLE') summary.unverified!++;
    const draft = activeProductAgainstBilling(product, answer);
    if (!draft) return;
    out.drafts.push(draft);
    summary.findings++;
  });
  out.summaries.push(summary);
  return checked;
};

/** Billing's active subscriptions against the products they bill, read by key. */
const checkBilledSubscriptions = async (
  subscriptions: SubscriptionFacts[],
  now: string,
  graceMs: number,
  out: Collected,
) => {
  const recent = (s: SubscriptionFacts) =>
    s.updatedAt !== undefined && Date.parse(now) - Date.parse(s.updatedAt) < graceMs;
  const active = subscriptions.filter((s) => s.status === 'active');
  const settled = active.filter((s) => !recent(s));
  const products = await productFactsByIds(settled.map((s) => s.productId));
  let findings = 0;
  for (const subscription of settled) {
    const draft = billedSubscriptionAgainstProduct(subscription, products.get(subscription.productId));
    if (!draft) continue;
    out.drafts.push(draft);
    findings++;
  }
  out.summaries.push({
    check: 'billed-subscription-has-product',
    examined: settled.length,
    findings,
    skipped: { withinGrace: active.length - settled.length, pastRetention: 0 },
  });
};

/** Orders no execution is driving: restarted through the fulfillment workflow's own start. */
const checkStrandedOrders = async (
  orders: OrderFacts[],
  now: string,
  thresholdMs: number,
  out: Collected,
) => {
  // Executions are listed only when the page has a candidate (an active order unchanged for long).
  const candidates = strandedOrders(orders, [], now, thresholdMs, 'reconciliation');
  const running =
    candidates.length === 0
      ? []
      : await runningExecutionNames().catch((error: Error) => {
          logger.warn('running executions could not be listed', { error: error.name });
          return undefined;
        });
  const stranded =
    candidates.length === 0 ? [] : strandedOrders(orders, running, now, thresholdMs, 'reconciliation');
  for (const { draft, restart } of stranded) {
    out.drafts.push(draft);
    if (restart) out.repairs.set(draft, () => restartFulfillment(restart).then(() => undefined));
  }
  out.summaries.push({
    check: 'order-execution-started',
    examined: orders.length,
    findings: stranded.length,
    ...(running === undefined ? { unverified: stranded.length } : {}),
  });
};

/**
 * Every selected check over one page of aggregates (a segment page, or the ids of a scoped run).
 * Pure checks decide; this function only gathers what they need for the aggregates in hand.
 */
export const checkPage = async (
  page: PageFacts,
  checks: CheckName[],
  at: string,
  budget?: TimeBudget,
): Promise<Collected & { checkedOrders: number; checkedProducts: number }> => {
  const t = thresholds();
  const out: Collected = { drafts: [], summaries: [], repairs: new Map() };
  const add = (check: CheckName, examined: number, drafts: FindingDraft[]) => {
    out.drafts.push(...drafts);
    out.summaries.push({ check, examined, findings: drafts.length });
  };
  // First, as it is the slow one: the orders it could not finish in time are this page's cut,
  // checked by every check on the next invocation.
  const checkedOrders =
    checks.includes('task-vs-downstream') && page.orders.length > 0
      ? await checkDownstream(page.orders, out, budget)
      : page.orders.length;
  const facts = { ...page, orders: page.orders.slice(0, checkedOrders) };
  if (checks.includes('accepted-quote-converted'))
    add(
      'accepted-quote-converted',
      facts.quotes.length,
      acceptedQuotesNotConverted(facts.quotes, facts.convertedQuoteIds, at, t.acceptedNotConverted),
    );
  if (checks.includes('order-execution-started'))
    await checkStrandedOrders(facts.orders, at, t.orderStranded, out);
  if (checks.includes('fulfilled-item-billed'))
    add(
      'fulfilled-item-billed',
      facts.orders.length,
      facts.orders.flatMap((o) => fulfilledWithoutBilling(o, at, t.fulfilledNotBilled)),
    );
  if (checks.includes('projection-vs-source'))
    await checkProjections(
      { quoteIds: facts.quotes.map((q) => q.id), orderIds: facts.orders.map((o) => o.id) },
      at,
      t.projectionGrace,
      out,
    );
  if (checks.includes('search-vs-source')) await checkSearchIndex(facts, at, t.projectionGrace, out);
  if (checks.includes('fulfilled-item-in-inventory')) await checkInstalledBase(facts.orders, out);
  const products = page.products ?? [];
  const checkedProducts =
    checks.includes('product-billed') && products.length > 0
      ? await checkProductBilling(products, out, budget)
      : products.length;
  if (checks.includes('billed-subscription-has-product') && page.subscriptions)
    await checkBilledSubscriptions(page.subscriptions, at, t.billingGrace, out);
  return { ...out, checkedOrders, checkedProducts };
};

/** Findings of a page, with the repairs declared safe performed (and their outcome recorded). */
export const findingsOf = async (
  collected: Collected,
  ctx: { runId: string; scope: string; actor: string; detectedAt: string; now: () => string },
): Promise<Finding[]> => {
  const findings: Finding[] = [];
  for (const draft of collected.drafts) {
    const finding: Finding = {
      ...draft,
      id: findingKey(draft),
      runId: ctx.runId,
      scope: ctx.scope,
      actor: ctx.actor,
      detectedAt: ctx.detectedAt,
      resultingState: 'OPEN',
    };
    const repair = collected.repairs.get(draft);
    if (repair) {
      try {
        await repair();
        finding.resultingState = 'REPAIRED';
        finding.repairedAt = ctx.now();
      } catch (error) {
        finding.resultingState = 'REPAIR_FAILED';
        finding.repairError = (error as Error).message;
      }
    }
    findings.push(finding);
  }
  return findings;
};

export type { ViewName };
