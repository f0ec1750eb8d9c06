import type { CatalogRelease } from '#domain/catalog/catalog-release';
import type { DomainEvent } from '#domain/events';
import type { OwnerTeam } from '#domain/order/fulfillment-task';
import type { JeopardyAlert, JeopardyType } from '#domain/order/jeopardy-alert';
import type { OrderCommandResult, ProductOrder } from '#domain/order/product-order';

/**
 * Jeopardy: an open order item that will miss (atRisk) or has missed (breached) the completion
 * its offering promises. Raised by a scheduled sweep as TMF622 `jeopardyAlert` entries with an
 * owner and a next action, once per level: the sweep can run any number of times.
 */
export type { JeopardyAlert, JeopardyType };

/** Lead time of an offering without one in the catalog. */
export const defaultLeadTimeSeconds = 5 * 24 * 3600;
/** An item is at risk in the last fifth of its lead time. */
export const riskShare = 0.2;

const closed = new Set(['completed', 'cancelled', 'rejected', 'failed', 'partial']);
const rank: Record<JeopardyType, number> = { atRisk: 1, breached: 2 };

const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** Each offering's promised lead time, from catalog data. */
export const leadTimesOf = (release: CatalogRelease | undefined): Record<string, number> =>
  Object.fromEntries(
    (release?.offerings ?? []).flatMap((o) =>
      o.fulfillmentLeadTimeSeconds === undefined ? [] : [[o.id, o.fulfillmentLeadTimeSeconds]],
    ),
  );

/** Expected completion of an item ordered at `orderDate` (stamped on the item at creation). */
export const expectedCompletionOf = (
  orderDate: string,
  offeringId: string,
  leadTimes: Record<string, number>,
) => plus(orderDate, leadTimes[offeringId] ?? defaultLeadTimeSeconds);

const riskStart = (orderDate: string, expected: string) =>
  new Date(Date.parse(expected) - (Date.parse(expected) - Date.parse(orderDate)) * riskShare).toISOString();

/** The highest level reached so far (alerts are append-only). */
export const currentJeopardy = (order: ProductOrder): JeopardyType | undefined =>
  (order.jeopardyAlerts ?? []).reduce<JeopardyType | undefined>(
    (top, a) => (!top || rank[a.jeopardyType] > rank[top] ? a.jeopardyType : top),
    undefined,
  );

type Assessment = { level: JeopardyType; items: string[] };

/** Where the order stands now; undefined when it is closed or every item is on time. */
export const assessJeopardy = (order: ProductOrder, now: string): Assessment | undefined => {
  if (closed.has(order.state)) return undefined;
  const at = Date.parse(now);
  const expected = order.items.map((i) => ({
    id: i.id,
    expected: i.expectedCompletionDate ?? plus(order.orderDate, defaultLeadTimeSeconds),
  }));
  const breached = expected.filter((i) => Date.parse(i.expected) < at).map((i) => i.id);
  if (breached.length > 0) return { level: 'breached', items: breached };
  const atRisk = expected
    .filter((i) => Date.parse(riskStart(order.orderDate, i.expected)) <= at)
    .map((i) => i.id);
  return atRisk.length > 0 ? { level: 'atRisk', items: atRisk } : undefined;
};

/** When the sweep must look at the order again; undefined when no higher level can come. */
export const nextJeopardyCheck = (order: ProductOrder, now: string): string | undefined => {
  if (closed.has(order.state) || currentJeopardy(order) === 'breached') return undefined;
  const times = order.items.flatMap((i) => {
    const expected = i.expectedCompletionDate ?? plus(order.orderDate, defaultLeadTimeSeconds);
    return [riskStart(order.orderDate, expected), plus(expected, 0.001)];
  });
  const future = times.filter((t) => Date.parse(t) > Date.parse(now)).sort();
  // Nothing left in the future: a level is due now (the sweep raises it at once).
  return future[0] ?? now;
};

const ownerAndAction = (
  order: ProductOrder,
  level: JeopardyType,
): { owner: OwnerTeam; nextAction: string } => {
  if (order.fallout) {
    return { owner: order.fallout.ownerTeam, nextAction: order.fallout.nextAction };
  }
  const open = order.tasks.find((t) => t.state !== 'DONE' && t.state !== 'CANCELLED');
  const owner: OwnerTeam = open?.ownerTeam ?? 'order-ops';
  return level === 'breached'
    ? {
        owner,
        nextAction: 'Tell the customer the new completion date and escalate the open task to its owner',
      }
    : {
        owner,
        nextAction: open
          ? `Expedite task ${open.id} with ${open.downstream}`
          : 'Check why fulfillment has not started',
      };
};

export const jeopardyEvent = (order: ProductOrder, alert: JeopardyAlert): DomainEvent => ({
  eventType: 'ProductOrderJeopardyEvent',
  domain: 'productOrder',
  resource: {
    id: order.id,
    state: order.state,
    channelId: order.channelId,
    accountId: order.accountId,
    quoteId: order.quoteId,
    jeopardyAlert: alert,
  },
});

/** Raises an alert when the order reached a higher level than it already has; otherwise nothing. */
export const raiseJeopardy = (
  order: ProductOrder,
  ctx: { now: string; alertId: string },
): OrderCommandResult => {
  const assessment = assessJeopardy(order, ctx.now);
  const current = currentJeopardy(order);
  if (!assessment || (current && rank[assessment.level] <= rank[current])) return { order, events: [] };
  const { owner, nextAction } = ownerAndAction(order, assessment.level);
  const alert: JeopardyAlert = {
    id: ctx.alertId,
    '@type': 'JeopardyAlert',
    alertDate: ctx.now,
    jeopardyType: assessment.level,
    name: assessment.level === 'breached' ? 'Expected completion missed' : 'Expected completion at risk',
    message:
      assessment.level === 'breached'
        ? `Items ${assessment.items.join(', ')} passed their expected completion`
        : `Items ${assessment.items.join(', ')} are in the last ${riskShare * 100} % of their lead time`,
    productOrderItem: assessment.items.map((productOrderItemId) => ({ productOrderItemId })),
    owner,
    nextAction,
  };
  const next: ProductOrder = {
    ...order,
    updatedAt: ctx.now,
    jeopardyAlerts: [...(order.jeopardyAlerts ?? []), alert],
  };
  return { order: next, events: [jeopardyEvent(next, alert)] };
};
