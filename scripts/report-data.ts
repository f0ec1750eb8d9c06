import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutboxEvent } from '#adapters/aggregate-store';
import type { Actor } from '#domain/actor';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import type { SourceEvent } from '#domain/projections/source-event';
import { acceptQuote } from '#domain/quote/accept-quote';
import { priceQuote } from '#domain/quote/change-quote';
import { createQuote } from '#domain/quote/create-quote';
import { decideApproval } from '#domain/quote/decide-approval';
import type { LineInput, Quote } from '#domain/quote/quote-types';
import { submitQuote } from '#domain/quote/submit-quote';
import type { FactContext } from '#domain/reporting/facts-of-event';
import { factPartitions } from '#domain/reporting/facts-rebuild';
import { refusalEvent } from '#domain/reporting/refusal-facts';

/**
 * A generated data set for the reports: quotes run through the real domain commands (create,
 * price, submit, approve, accept), orders of the accepted ones with their task outcomes, fallout
 * and repairs, and refused commands, as the events they emit, mapped by the fact mapping with the
 * context the fact mapper would read (margins of the accepted price snapshot, the quote's region,
 * billing as contracted) into `<dir>/facts/<table>/dt=<day>/generated.json`.
 */
const seller: Actor = { principalId: 'gen-seller', role: 'sales', channelId: 'sales-portal' };
const partner: Actor = { principalId: 'gen-partner', role: 'partner', channelId: 'partner-a' };
const approver: Actor = {
  principalId: 'gen-approver',
  role: 'approver',
  channelId: 'deal-desk',
  approvalLimitPercent: 40,
};

/** Deterministic (mulberry32), so the same seed gives the same data set. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export type GenerateOptions = { dir: string; quotes: number; days: number; from: string; seed: number };

export const generateReportData = async (o: GenerateOptions, onProgress: (done: number) => void) => {
  const rnd = random(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const events: SourceEvent[] = [];
  const contexts = new Map<string, FactContext>();
  let version = 0;
  const emit = (
    kind: 'QUOTE' | 'ORDER',
    id: string,
    v: number,
    at: string,
    list: readonly OutboxEvent[],
    context?: FactContext,
  ) => {
    for (const e of list) {
      const detail = {
        eventId: randomUUID(),
        eventTime: at,
        eventType: e.eventType,
        domain: e.domain,
        correlationId: randomUUID(),
        aggregateType: kind,
        aggregateId: id,
        aggregateVersion: v,
        resource: e.resource as Record<string, unknown>,
      };
      events.push(detail);
      if (context) contexts.set(detail.eventId, context);
    }
  };
  const refuse = (operation: string, code: string, at: string) =>
    events.push(
      refusalEvent({
        eventId: randomUUID(),
        at,
        operation,
        code,
        aggregateId: null,
        channelId: 'sales-portal',
        correlationId: 'gen',
      }),
    );
  const counts = { quotes: 0, accepted: 0, orders: 0, taskOutcomes: 0, refusals: 0 };
  for (let i = 0; i < o.quotes; i++) {
    const start =
      Date.parse(o.from) + Math.floor(rnd() * o.days) * 86_400_000 + Math.floor(rnd() * 20) * 3_600_000;
    const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
    const actor = rnd() < 0.3 ? partner : seller;
    const discount = pick([0, 0, 5, 8, 10, 12, 15, 20, 25, 30, 35]);
    const lines: LineInput[] = [
      {
        offeringId: 'off-fiber-1g',
        quantity: 1,
        options: { term: pick([12, 24, 36]) },
        discountPercent: discount,
      },
      ...(rnd() < 0.5
        ? [{ offeringId: 'off-security', quantity: 1, options: {}, discountPercent: pick([0, 5, 10]) }]
        : []),
      ...(rnd() < 0.4
        ? [
            {
              offeringId: 'off-sdwan',
              quantity: 1,
              options: { sites: 1 + Math.floor(rnd() * 20) },
              discountPercent: pick([0, 5, 12]),
            },
          ]
        : []),
    ];
    const ctx = (a: Actor, minutes: number) => ({
      now: at(minutes),
      actor: a,
      correlationId: 'gen',
      catalog: demoCatalogRelease,
    });
    const id = `q-gen-${o.seed}-${i}`;
    let { quote, events: ev } = createQuote(
      {
        customer: {
          accountId: `acct-gen-${i % 400}`,
          name: `Customer ${i % 400}`,
          region: pick(['APAC', 'EMEA', 'AMER']),
          segment: pick(['Enterprise', 'SMB']),
        },
        currency: 'USD',
        lines,
      },
      { ...ctx(actor, 0), quoteId: id },
    );
    version = 1;
    emit('QUOTE', id, version, at(0), ev);
    counts.quotes++;
    if (rnd() < 0.05) {
      refuse('quote-create', 'INVALID_CONFIGURATION', at(1));
      counts.refusals++;
    }
    const step = (result: { quote: Quote; events: readonly OutboxEvent[] }, minutes: number) => {
      quote = result.quote;
      version++;
      emit('QUOTE', id, version, at(minutes), result.events);
    };
    step(priceQuote(quote, ctx(actor, 5)), 5);
    if (rnd() < 0.2) step(priceQuote({ ...quote, priceSnapshot: undefined }, ctx(actor, 9)), 9);
    step(submitQuote(quote, { ...ctx(actor, 10), approvalRequestId: `ar-${i}` }), 10);
    if (quote.state === 'pending') {
      if (rnd() < 0.1) continue;
      step(
        decideApproval(
          quote,
          { decision: 'APPROVE', comment: 'ok' },
          { ...ctx(approver, 90), decisionId: `ad-${i}` },
        ),
        90,
      );
    }
    if (rnd() < 0.25) continue;
    const accepted = acceptQuote(quote, { ...ctx(actor, 120), evidenceId: `ae-${i}` });
    quote = accepted.quote;
    const margins = Object.fromEntries(
      (quote.priceSnapshot?.lines ?? []).map((l) => [l.lineId, l.marginRecurring ?? 0]),
    );
    emit('QUOTE', id, ++version, at(120), accepted.events, { lineMargins: margins });
    counts.accepted++;
    if (rnd() < 0.15) continue;
    counts.orders++;
    const orderId = `o-gen-${o.seed}-${i}`;
    const order = { region: quote.customer.region ?? null };
    const header = {
      id: orderId,
      channelId: quote.channelId,
      accountId: quote.customer.accountId,
      quoteId: quote.id,
    };
    const orderEvent = (v: number, minutes: number, eventType: string, resource: Record<string, unknown>) =>
      emit(
        'ORDER',
        orderId,
        v,
        at(minutes),
        [{ eventType, domain: 'productOrder', resource } as OutboxEvent],
        order,
      );
    orderEvent(1, 121, 'ProductOrderCreateEvent', {
      ...header,
      state: 'acknowledged',
      orderDate: at(121),
      productOrderItem: quote.lines.map((l, n) => ({ id: String(n + 1), offeringId: l.offeringId })),
    });
    if (rnd() < 0.05) {
      refuse('order-create', 'QUOTE_ALREADY_CONVERTED', at(122));
      counts.refusals++;
    }
    if (rnd() < 0.03) {
      orderEvent(2, 122, 'ProductOrderStateChangeEvent', {
        ...header,
        state: 'held',
        previousState: 'acknowledged',
        at: at(122),
        fallout: { reasonCode: 'DECOMPOSITION_FAILED', since: at(122) },
      });
      continue;
    }
    orderEvent(2, 122, 'FulfillmentPlanCreateEvent', { orderId, channelId: quote.channelId, taskIds: [] });
    let minute = 125;
    const tasks = quote.lines.map((l, n) => ({
      id: `t-${n + 1}`,
      item: String(n + 1),
      family: l.productFamily,
      type: 'SERVICE_ACTIVATION',
      downstream: 'provisioning',
    }));
    let failed = false;
    let v = 1;
    for (const task of [
      ...tasks,
      {
        id: 'BILLING_HANDOFF',
        item: 'order',
        family: undefined,
        type: 'BILLING_HANDOFF',
        downstream: 'billing',
      },
    ]) {
      if (failed) break;
      const dispatchedAt = at(minute);
      minute += 1 + Math.floor(rnd() * (task.downstream === 'billing' ? 5 : 30));
      const roll = rnd();
      const unknown = roll < 0.04;
      const state = roll > 0.95 ? 'FAILED' : 'DONE';
      failed = state === 'FAILED';
      const attempts = unknown ? 2 : roll > 0.9 ? 2 : 1;
      emit(
        'ORDER',
        orderId,
        ++v,
        at(minute),
        [
          {
            eventType: 'FulfillmentTaskStateChangeEvent',
            domain: 'productOrder',
            resource: {
              orderId,
              channelId: quote.channelId,
              taskId: task.id,
              orderItemId: task.item,
              productFamily: task.family,
              type: task.type,
              action: 'add',
              downstream: task.downstream,
              correlationId: `ful-${orderId}-${task.id}`,
              state,
              attempts,
              lastErrorCode: failed ? pick(['DOWNSTREAM_REJECTED', 'RETRY_BUDGET_EXHAUSTED']) : undefined,
              dispatchedAt,
              completedAt: state === 'DONE' ? at(minute) : undefined,
              unknownSince: unknown ? dispatchedAt : undefined,
              queries: unknown ? 1 : 0,
            },
          },
        ],
        { ...order, billingMatchesContract: true },
      );
      counts.taskOutcomes++;
    }
    if (failed) {
      // Fallout: held, and most are repaired and complete; some cancellations come too late.
      orderEvent(++v, minute, 'ProductOrderStateChangeEvent', {
        ...header,
        state: 'held',
        previousState: 'inProgress',
        at: at(minute),
        fallout: { reasonCode: 'DOWNSTREAM_REJECTED', since: at(minute) },
      });
      if (rnd() < 0.3) {
        refuse('order-cancel', 'POINT_OF_NO_RETURN', at(minute + 5));
        counts.refusals++;
      }
      if (rnd() < 0.2) continue;
      minute += 30 + Math.floor(rnd() * 600);
      orderEvent(++v, minute, 'FulfillmentTaskRepairEvent', {
        orderId,
        channelId: quote.channelId,
        action: 'RETRY',
        reasonCode: 'OPS_RETRY',
        at: at(minute),
      });
      orderEvent(++v, minute, 'ProductOrderStateChangeEvent', {
        ...header,
        state: 'inProgress',
        previousState: 'held',
        at: at(minute),
      });
    }
    minute += 1 + Math.floor(rnd() * 60);
    orderEvent(++v, minute, 'ProductOrderStateChangeEvent', {
      ...header,
      state: 'completed',
      previousState: 'inProgress',
      at: at(minute),
      completionDate: at(minute),
    });
    if (i % 50 === 0) onProgress(i);
  }
  onProgress(o.quotes);
  const facts = factPartitions(events, (e) => contexts.get(e.eventId) ?? {});
  let rows = 0;
  for (const [partition, { rows: list }] of facts) {
    const folder = join(o.dir, 'facts', partition);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'generated.json'), list.map((r) => JSON.stringify(r)).join('\n'));
    rows += list.length;
  }
  return { ...counts, events: events.length, partitions: facts.size, factRows: rows };
};
