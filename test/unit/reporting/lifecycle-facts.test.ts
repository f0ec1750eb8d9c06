import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceEvent } from '#domain/projections/source-event';
import { type FactTableName, factTables } from '#domain/reporting/fact-tables';
import { factsOf } from '#domain/reporting/facts-of-event';
import { isReportedRefusal, refusalEvent } from '#domain/reporting/refusal-facts';
import { factEventTypes } from '#topology';

const time = '2026-11-24T10:00:00.000Z';
const event = (eventType: string, resource: Record<string, unknown>, eventTime = time): SourceEvent => ({
  eventId: `e-${eventType}`,
  eventTime,
  eventType,
  domain: eventType.startsWith('Quote') ? 'quote' : 'productOrder',
  correlationId: 'c',
  aggregateType: eventType.startsWith('Quote') ? 'QUOTE' : 'ORDER',
  aggregateId: eventType.startsWith('Quote') ? 'q-1' : 'o-1',
  aggregateVersion: 4,
  resource,
});
const quote = {
  id: 'q-1',
  state: 'pending',
  channelId: 'partner-a',
  accountId: 'acct-1',
  createdAt: '2026-11-20T08:00:00.000Z',
  customer: { name: 'Acme', region: 'APAC', segment: 'Enterprise' },
  products: [{ lineId: '1', offeringId: 'off-fiber-1g', quantity: 1 }],
  validFor: { startDateTime: '2026-11-20T08:00:00.000Z', endDateTime: '2026-12-20T08:00:00.000Z' },
};
const order = { id: 'o-1', state: 'held', channelId: 'partner-a', accountId: 'acct-1', quoteId: 'q-1' };
const price = {
  inputHash: 'h-1',
  lines: [
    { lineId: '1', offeringId: 'o', listRecurring: 90_000, discountRecurring: 0, netRecurring: 90_000 },
  ],
};
const row = (source: SourceEvent, context = {}) =>
  factsOf(source, context)?.rows[0] as Record<string, unknown>;

describe('quote lifecycle facts', () => {
  it('names the milestone of each quote event, with its own time and the quote dimensions', () => {
    expect(row(event('QuoteCreateEvent', { ...quote, state: 'inProgress', lineCount: 1 }))).toMatchObject({
      milestone: 'CREATED',
      occurred_at: '2026-11-20T08:00:00.000Z',
      region: 'APAC',
      segment: 'Enterprise',
      valid_until_date: '2026-12-20',
      created_epoch_seconds: Date.parse('2026-11-20T08:00:00.000Z') / 1000,
    });
    const state = (from: string, to: string) =>
      row(event('QuoteStateChangeEvent', { ...quote, state: to, previousState: from }));
    expect(state('inProgress', 'pending')).toMatchObject({ milestone: 'SUBMITTED', to_state: 'pending' });
    expect(state('inProgress', 'approved')).toMatchObject({ milestone: 'SUBMITTED', to_state: 'approved' });
    expect(state('pending', 'rejected').milestone).toBe('REJECTED');
    expect(state('approved', 'cancelled').milestone).toBe('CANCELLED');
    expect(state('approved', 'inProgress').milestone).toBe('STATE_CHANGED');
    expect(
      row(
        event('QuoteApprovalRequestedEvent', {
          ...quote,
          approvalRequest: {
            id: 'r-1',
            reasonCodes: ['Z', 'DISCOUNT_ABOVE_FLOOR'],
            submittedAt: '2026-11-24T09:00:00.000Z',
          },
        }),
      ),
    ).toMatchObject({
      milestone: 'APPROVAL_REQUESTED',
      request_id: 'r-1',
      reason_codes: 'DISCOUNT_ABOVE_FLOOR,Z',
      occurred_at: '2026-11-24T09:00:00.000Z',
    });
    expect(
      row(
        event('QuoteApprovalDecidedEvent', {
          ...quote,
          approvalDecision: { id: 'd', requestId: 'r-1', decision: 'REJECT', at: '2026-11-24T09:30:00.000Z' },
        }),
      ),
    ).toMatchObject({ milestone: 'APPROVAL_DECIDED', request_id: 'r-1', decision: 'REJECT' });
    expect(row(event('QuoteApprovalInvalidatedEvent', { ...quote, cause: 'REPRICED' }))).toMatchObject({
      milestone: 'APPROVAL_INVALIDATED',
      cause: 'REPRICED',
    });
    expect(
      row(event('QuoteAttributeValueChangeEvent', { ...quote, changedAttributes: ['lines'], price: null })),
    ).toMatchObject({ milestone: 'LINES_CONFIGURED' });
  });

  it('an accepted line carries the margin of the price snapshot (context), a priced one never', () => {
    const context = { lineMargins: { '1': 12_345 } };
    const accepted = event('QuoteAcceptedEvent', { ...quote, approvalGrant: null, price });
    expect(row(accepted, context)).toMatchObject({
      fact_kind: 'ACCEPTED',
      margin_amount: 123.45,
      price_input_hash: 'h-1',
    });
    expect(row(accepted).margin_amount).toBeNull();
    const priced = event('QuoteAttributeValueChangeEvent', {
      ...quote,
      changedAttributes: ['priceSnapshot'],
      price,
    });
    expect(row(priced, context).margin_amount).toBeNull();
  });
});

describe('order lifecycle facts', () => {
  it('names the milestone of each order event, with the region of its quote', () => {
    const region = { region: 'EMEA' };
    expect(
      row(
        event('ProductOrderCreateEvent', {
          ...order,
          state: 'acknowledged',
          orderDate: '2026-11-24T09:00:00.000Z',
          productOrderItem: [{ id: '1' }, { id: '2' }],
        }),
        region,
      ),
    ).toMatchObject({
      milestone: 'CREATED',
      quote_id: 'q-1',
      item_count: 2,
      region: 'EMEA',
      occurred_at: '2026-11-24T09:00:00.000Z',
    });
    expect(
      row(
        event('ProductOrderStateChangeEvent', {
          ...order,
          previousState: 'inProgress',
          at: time,
          fallout: { reasonCode: 'DECOMPOSITION_FAILED', since: '2026-11-24T09:59:00.000Z' },
        }),
        region,
      ),
    ).toMatchObject({
      milestone: 'STATE_CHANGED',
      from_state: 'inProgress',
      to_state: 'held',
      fallout_reason_code: 'DECOMPOSITION_FAILED',
      occurred_at: '2026-11-24T09:59:00.000Z',
    });
    expect(
      row(event('FulfillmentPlanCreateEvent', { orderId: 'o-1', channelId: 'c', taskIds: [] })).milestone,
    ).toBe('PLANNED');
    expect(
      row(
        event('FulfillmentTaskRepairEvent', { orderId: 'o-1', action: 'RETRY', reasonCode: 'X', at: time }),
      ),
    ).toMatchObject({ milestone: 'REPAIRED', repair_action: 'RETRY', repair_reason_code: 'X' });
    expect(
      row(
        event('CancelProductOrderCreateEvent', {
          id: 'c-1',
          orderId: 'o-1',
          channelId: 'c',
          state: 'inProgress',
        }),
      ),
    ).toMatchObject({ milestone: 'CANCELLATION', cancellation_id: 'c-1', cancellation_state: 'inProgress' });
    expect(factsOf(event('ProductOrderJeopardyEvent', { ...order }))).toBeUndefined();
  });

  it('only a billing handoff done says whether billing matched the contract', () => {
    const task = (type: string, state: string) =>
      event('FulfillmentTaskStateChangeEvent', { orderId: 'o-1', taskId: type, type, state, attempts: 1 });
    const context = { billingMatchesContract: false, region: 'APAC' };
    expect(row(task('BILLING_HANDOFF', 'DONE'), context)).toMatchObject({
      billing_matches_contract: false,
      region: 'APAC',
    });
    expect(row(task('BILLING_HANDOFF', 'FAILED'), context).billing_matches_contract).toBeNull();
    expect(row(task('SERVICE_ACTIVATION', 'DONE'), context).billing_matches_contract).toBeNull();
  });
});

describe('command refusal facts', () => {
  it('records the refusals the KPIs count and no others', () => {
    expect(isReportedRefusal('order-cancel', 'POINT_OF_NO_RETURN')).toBe(true);
    expect(isReportedRefusal('order-cancel', 'NOT_FOUND')).toBe(false);
    expect(isReportedRefusal('order-create', 'NOT_FOUND')).toBe(true);
    expect(isReportedRefusal('quote-create', 'INVALID_CONFIGURATION')).toBe(true);
    expect(isReportedRefusal('quote-price', 'STALE_PRICE')).toBe(false);
    const facts = factsOf(
      refusalEvent({
        eventId: 'x',
        at: time,
        operation: 'order-cancel',
        code: 'POINT_OF_NO_RETURN',
        aggregateId: null,
        channelId: 'partner-a',
        correlationId: 'c',
      }),
    )!;
    expect(facts).toMatchObject({ table: 'fact_command_refusal', dt: '2026-11-24' });
    expect(facts.rows[0]).toMatchObject({
      operation: 'order-cancel',
      code: 'POINT_OF_NO_RETURN',
      aggregate_id: null,
    });
  });
});

/** One sample resource per fact event type, enough for it to give a row. */
const samples: Record<string, Record<string, unknown>> = {
  QuoteCreateEvent: { ...quote, lineCount: 1 },
  QuoteStateChangeEvent: { ...quote, previousState: 'inProgress' },
  QuoteAttributeValueChangeEvent: { ...quote, changedAttributes: ['lines'], price: null },
  QuoteApprovalRequestedEvent: { ...quote, approvalRequest: { id: 'r', reasonCodes: [], submittedAt: time } },
  QuoteApprovalDecidedEvent: {
    ...quote,
    approvalDecision: { id: 'd', requestId: 'r', decision: 'APPROVE', at: time },
  },
  QuoteApprovalInvalidatedEvent: { ...quote, cause: 'X' },
  QuoteAcceptedEvent: { ...quote, approvalGrant: null, price },
  ProductOrderCreateEvent: { ...order, orderDate: time, productOrderItem: [] },
  ProductOrderStateChangeEvent: { ...order, previousState: 'inProgress', at: time },
  FulfillmentPlanCreateEvent: { orderId: 'o-1', channelId: 'c', taskIds: [] },
  FulfillmentTaskStateChangeEvent: { orderId: 'o-1', taskId: 't', type: 'X', state: 'DONE', attempts: 1 },
  FulfillmentTaskRepairEvent: { orderId: 'o-1', channelId: 'c', action: 'RETRY', reasonCode: 'X', at: time },
  CancelProductOrderCreateEvent: { id: 'c', orderId: 'o-1', channelId: 'c', state: 'inProgress' },
  CancelProductOrderStateChangeEvent: { id: 'c', orderId: 'o-1', channelId: 'c', state: 'done' },
  CommandRefusedEvent: { operation: 'order-create', code: 'NOT_FOUND', channelId: 'c' },
};

describe('every event the facts stream routes', () => {
  it('gives rows with exactly its table columns, partitioned by the event UTC day, whatever the time', () => {
    expect(Object.keys(samples).sort()).toEqual([...factEventTypes].sort());
    fc.assert(
      fc.property(
        fc.constantFrom(...factEventTypes),
        fc.date({ min: new Date('2026-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        (type, at) => {
          const facts = factsOf(event(type, samples[type]!, at.toISOString()));
          expect(facts, type).toBeDefined();
          expect(facts!.dt).toBe(at.toISOString().slice(0, 10));
          const columns = Object.keys(factTables[facts!.table as FactTableName].columns).sort();
          for (const r of facts!.rows) expect(Object.keys(r).sort()).toEqual(columns);
        },
      ),
      { numRuns: 200 },
    );
  });
});
