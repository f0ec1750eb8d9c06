import type { SourceEvent } from '#domain/projections/source-event';

let seq = 0;
export const at = (minutes: number) =>
  new Date(Date.UTC(2026, 10, 1, 8, 0, 0) + minutes * 60_000).toISOString();

export const ev = (
  aggregateType: 'QUOTE' | 'ORDER',
  aggregateId: string,
  aggregateVersion: number,
  eventType: string,
  resource: Record<string, unknown>,
  eventTime = at(aggregateVersion),
): SourceEvent => ({
  eventId: `evt-${String(++seq).padStart(6, '0')}`,
  eventTime,
  eventType,
  domain: aggregateType === 'QUOTE' ? 'quote' : 'productOrder',
  correlationId: 'corr-1',
  aggregateType,
  aggregateId,
  aggregateVersion,
  resource,
});

const quoteHeader = (state: string, end = at(60 * 24 * 5)) => ({
  id: 'q-1',
  state,
  channelId: 'partner-a',
  accountId: 'acct-1',
  currency: 'USD',
  validFor: { startDateTime: at(0), endDateTime: end },
});

/** create → price → submit (pending + request) → approve → accept, as the quote handlers emit. */
export const quoteHistory = (): SourceEvent[] => [
  ev('QUOTE', 'q-1', 1, 'QuoteCreateEvent', { ...quoteHeader('inProgress'), lineCount: 1 }),
  ev('QUOTE', 'q-1', 2, 'QuoteAttributeValueChangeEvent', {
    ...quoteHeader('inProgress'),
    changedAttributes: ['price'],
  }),
  ev('QUOTE', 'q-1', 3, 'QuoteStateChangeEvent', { ...quoteHeader('pending'), previousState: 'inProgress' }),
  ev('QUOTE', 'q-1', 3, 'QuoteApprovalRequestedEvent', {
    ...quoteHeader('pending'),
    approvalRequest: {
      id: 'req-1',
      reasonCodes: ['DISCOUNT_ABOVE_FLOOR'],
      policyVersion: 'deal-policy-1',
      submittedAt: at(3),
      dueAt: at(3 + 24 * 60),
    },
  }),
  ev('QUOTE', 'q-1', 4, 'QuoteApprovalDecidedEvent', {
    ...quoteHeader('approved'),
    approvalDecision: { id: 'dec-1', requestId: 'req-1', decision: 'APPROVE', at: at(4) },
  }),
  ev('QUOTE', 'q-1', 4, 'QuoteStateChangeEvent', { ...quoteHeader('approved'), previousState: 'pending' }),
  ev('QUOTE', 'q-1', 5, 'QuoteAcceptedEvent', { ...quoteHeader('accepted'), acceptance: { id: 'acc-1' } }),
];

/** Only as far as the pending approval: the inbox row. */
export const pendingQuoteHistory = (): SourceEvent[] => quoteHistory().slice(0, 4);

const orderHeader = (state: string) => ({
  id: 'o-1',
  state,
  channelId: 'partner-a',
  accountId: 'acct-1',
  quoteId: 'q-1',
});

const task = (
  taskId: string,
  type: string,
  state: string,
  attempts: number,
  extra: Record<string, unknown> = {},
) => ({
  orderId: 'o-1',
  channelId: 'partner-a',
  taskId,
  orderItemId: type === 'BILLING_HANDOFF' ? 'order' : 'item-1',
  type,
  action: 'add',
  downstream: type === 'BILLING_HANDOFF' ? 'billing' : 'provisioning',
  correlationId: `ful-${taskId}`,
  state,
  previousState: null,
  attempts,
  ownerTeam: type === 'BILLING_HANDOFF' ? 'billing-ops' : 'network-ops',
  ...extra,
});

const fallout = {
  reasonCode: 'DOWNSTREAM_REJECTED',
  ownerTeam: 'network-ops',
  nextAction: 'Correct the service parameters and retry',
  since: at(6),
  taskId: 't-1',
  heldFrom: 'inProgress',
};

/** create → start (inProgress + tasks) → task fails → fallout (held) → repair → done → completed. */
export const orderHistory = (): SourceEvent[] => [
  ev('ORDER', 'o-1', 1, 'ProductOrderCreateEvent', {
    ...orderHeader('acknowledged'),
    billingAccountId: 'ba-1',
    orderDate: at(1),
    currency: 'USD',
    productOrderItem: [{ id: 'item-1', quoteItemId: 'line-1', offeringId: 'off-fiber-1g', quantity: 1 }],
  }),
  ev('ORDER', 'o-1', 2, 'FulfillmentPlanCreateEvent', {
    orderId: 'o-1',
    channelId: 'partner-a',
    taskIds: ['t-1', 't-2'],
  }),
  ev('ORDER', 'o-1', 2, 'ProductOrderStateChangeEvent', {
    ...orderHeader('inProgress'),
    previousState: 'acknowledged',
    at: at(2),
  }),
  ev('ORDER', 'o-1', 2, 'FulfillmentTaskStateChangeEvent', task('t-1', 'ACCESS_PROVISION', 'PENDING', 0)),
  ev('ORDER', 'o-1', 2, 'FulfillmentTaskStateChangeEvent', task('t-2', 'BILLING_HANDOFF', 'PENDING', 0)),
  ev('ORDER', 'o-1', 3, 'FulfillmentTaskStateChangeEvent', task('t-1', 'ACCESS_PROVISION', 'IN_PROGRESS', 1)),
  ev(
    'ORDER',
    'o-1',
    4,
    'FulfillmentTaskStateChangeEvent',
    task('t-1', 'ACCESS_PROVISION', 'FAILED', 1, { lastErrorCode: 'MISSING_PARAM' }),
  ),
  ev('ORDER', 'o-1', 4, 'ProductOrderStateChangeEvent', {
    ...orderHeader('held'),
    previousState: 'inProgress',
    at: at(6),
    fallout,
  }),
  ev('ORDER', 'o-1', 5, 'FulfillmentTaskRepairEvent', {
    orderId: 'o-1',
    channelId: 'partner-a',
    id: 'rep-1',
    action: 'RETRY',
    taskId: 't-1',
    reasonCode: 'PARAM_FIXED',
    at: at(7),
  }),
  ev('ORDER', 'o-1', 5, 'ProductOrderStateChangeEvent', {
    ...orderHeader('inProgress'),
    previousState: 'held',
    at: at(7),
  }),
  ev('ORDER', 'o-1', 6, 'FulfillmentTaskStateChangeEvent', task('t-1', 'ACCESS_PROVISION', 'DONE', 2)),
  ev('ORDER', 'o-1', 7, 'FulfillmentTaskStateChangeEvent', task('t-2', 'BILLING_HANDOFF', 'DONE', 1)),
  ev('ORDER', 'o-1', 7, 'ProductOrderStateChangeEvent', {
    ...orderHeader('completed'),
    previousState: 'inProgress',
    at: at(9),
    completionDate: at(9),
  }),
];

/** The order up to its fallout. */
export const heldOrderHistory = (): SourceEvent[] => orderHistory().slice(0, 8);

export const fold = <R>(
  apply: (row: R | undefined, e: SourceEvent, now: string) => R | undefined,
  events: SourceEvent[],
  now = at(100),
) => events.reduce<R | undefined>((row, e) => apply(row, e, now), undefined);
