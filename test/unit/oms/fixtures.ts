import type { Actor, CommandContext } from '#domain/actor';
import type { AcceptedQuoteSnapshot } from '#domain/order/accepted-quote';
import { convertQuoteToOrder, type ProductOrderCreateRequest } from '#domain/order/convert-quote';
import {
  completeOrder,
  nextStep,
  recordTaskCompleted,
  recordTaskDispatched,
  startFulfillment,
} from '#domain/order/fulfillment';
import type { PlannedTask } from '#domain/order/fulfillment-task';
import type { ProductOrder } from '#domain/order/product-order';

export const T0 = '2026-11-20T10:00:00.000Z';

export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const partnerA: Actor = { principalId: 'partner-a-user', role: 'partner', channelId: 'partner-a' };
export const ops: Actor = { principalId: 'ops-user', role: 'ops', channelId: 'ops-console' };

export const ctx = (now = T0, actor: Actor = partnerA): CommandContext => ({
  now,
  actor,
  correlationId: 'corr-1',
});

export const acceptedQuote = (overrides: Partial<AcceptedQuoteSnapshot> = {}): AcceptedQuoteSnapshot => ({
  quoteId: 'q-1',
  channelId: 'partner-a',
  accountId: 'acc-1',
  state: 'accepted',
  validUntil: '2026-12-20T00:00:00.000Z',
  acceptance: { snapshotHash: 'sha256:abc', acceptedAt: '2026-11-19T09:00:00.000Z' },
  currency: 'USD',
  catalogVersion: 'cat-2026.11.0',
  priceBookVersion: 'pb-2026.11.0',
  lines: [
    {
      quoteItemId: 'ql-1',
      offeringId: 'off-fiber-1g',
      quantity: 1,
      options: { term: 36, install: 'express' },
      price: {
        listOneTime: 120000,
        listRecurring: 90000,
        discountPercent: 10,
        netOneTime: 108000,
        netRecurring: 81000,
      },
    },
    {
      quoteItemId: 'ql-2',
      offeringId: 'off-security',
      quantity: 1,
      options: {},
      price: { listOneTime: 0, listRecurring: 30000, discountPercent: 5, netOneTime: 0, netRecurring: 28500 },
    },
    {
      quoteItemId: 'ql-3',
      offeringId: 'off-static-ip',
      quantity: 1,
      options: { size: 8 },
      price: { listOneTime: 0, listRecurring: 4000, discountPercent: 0, netOneTime: 0, netRecurring: 4000 },
    },
  ],
  ...overrides,
});

export const orderRequest = (quote: AcceptedQuoteSnapshot = acceptedQuote()): ProductOrderCreateRequest => ({
  quote: [{ id: quote.quoteId }],
  billingAccount: { id: 'ba-1' },
  externalId: 'PO-778',
  productOrderItem: quote.lines.map((line, i) => ({
    id: `item-${i + 1}`,
    action: 'add',
    quoteItem: { id: line.quoteItemId },
  })),
});

export const newOrder = (quote: AcceptedQuoteSnapshot = acceptedQuote()): ProductOrder =>
  convertQuoteToOrder(orderRequest(quote), quote, { ...ctx(), orderId: 'ord-1' }).order;

export const startedOrder = (quote?: AcceptedQuoteSnapshot): ProductOrder =>
  startFulfillment(newOrder(quote), ctx(at(1))).order;

/** Dispatches and completes every ready task with a response, until the order completes. */
export const runHappyPath = (order: ProductOrder, now = at(5)): ProductOrder => {
  let current = order;
  for (let guard = 0; guard < 50; guard++) {
    const step = nextStep(current);
    if (step.kind === 'COMPLETE') return completeOrder(current, ctx(now)).order;
    if (step.kind !== 'DISPATCH') return current;
    for (const ref of step.tasks) {
      current = recordTaskDispatched(current, ref.taskId, ctx(now)).order;
      current = recordTaskCompleted(
        current,
        ref.taskId,
        { downstreamRef: `ds-${ref.taskId}`, source: 'response' },
        ctx(now),
      ).order;
    }
  }
  throw new Error('happy path did not converge');
};

/** Completes every provisioning task with a response and stops before the billing handoff. */
export const runUntilBilling = (start: ProductOrder, now = at(5)): ProductOrder => {
  let order = start;
  for (let guard = 0; guard < 50; guard++) {
    const step = nextStep(order);
    if (step.kind !== 'DISPATCH') throw new Error(`unexpected step ${step.kind}`);
    const refs = step.tasks.filter((t) => t.type !== 'BILLING_HANDOFF');
    if (refs.length === 0) return order;
    for (const r of refs) {
      order = recordTaskDispatched(order, r.taskId, ctx(now)).order;
      order = recordTaskCompleted(
        order,
        r.taskId,
        { downstreamRef: `ds-${r.taskId}`, source: 'response' },
        ctx(now),
      ).order;
    }
  }
  throw new Error('provisioning did not converge');
};

/** Deep-freezes a value so a test fails if a command mutates its input. */
export const frozen = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
};

/** The downstreams' in-flight window in these tests: shorter than the minute between `at` steps. */
export const inFlight = { inFlightWindowMs: 30_000 };

/** A task's definition as planned: what no execution step may change. */
export const plannedPartOf = (task: PlannedTask): PlannedTask => ({
  id: task.id,
  orderItemId: task.orderItemId,
  action: task.action,
  type: task.type,
  ruleVersion: task.ruleVersion,
  downstream: task.downstream,
  dependsOn: task.dependsOn,
  correlationId: task.correlationId,
  ownerTeam: task.ownerTeam,
  payload: task.payload,
  ...(task.compensationOf !== undefined ? { compensationOf: task.compensationOf } : {}),
});
