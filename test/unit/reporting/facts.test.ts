import type { Context, FirehoseTransformationEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { SourceEvent } from '#domain/projections/source-event';
import { factTables } from '#domain/reporting/fact-tables';
import { factsOf } from '#domain/reporting/facts-of-event';
import { handler as factMapper } from '#functions/events/fact-mapper';

const event = (
  eventType: string,
  aggregateType: 'QUOTE' | 'ORDER',
  resource: Record<string, unknown>,
): SourceEvent => ({
  eventId: `e-${eventType}`,
  eventTime: '2026-11-24T10:00:00.000Z',
  eventType,
  domain: aggregateType === 'QUOTE' ? 'quote' : 'productOrder',
  correlationId: 'c',
  aggregateType,
  aggregateId: aggregateType === 'QUOTE' ? 'q-1' : 'o-1',
  aggregateVersion: 3,
  resource,
});

const priced = (extra: Record<string, unknown> = {}) =>
  event('QuoteAttributeValueChangeEvent', 'QUOTE', {
    channelId: 'partner-a',
    accountId: 'acct-1',
    currency: 'USD',
    createdAt: '2026-11-20T08:00:00.000Z',
    customer: { name: 'Acme', region: 'APAC', segment: 'Enterprise' },
    products: [{ lineId: '1', offeringId: 'off-fiber-1g', productFamily: 'Connectivity' }],
    price: {
      catalogVersion: 'cat-1',
      priceBookVersion: 'pb-1',
      policyVersion: 'deal-policy-1',
      lines: [
        {
          lineId: '1',
          offeringId: 'off-fiber-1g',
          listOneTime: 50_000,
          listRecurring: 90_000,
          discountPercent: 25,
          discountOneTime: 0,
          discountRecurring: 22_500,
          netOneTime: 50_000,
          netRecurring: 67_500,
        },
      ],
    },
    ...extra,
  });

describe('facts of domain events', () => {
  it('a priced quote gives one fact_quote_line_price row per line with semantic discount columns', () => {
    const facts = factsOf(priced())!;
    expect(facts.table).toBe('fact_quote_line_price');
    expect(facts.dt).toBe('2026-11-24');
    const [row] = facts.rows as Record<string, unknown>[];
    expect(Object.keys(row!).sort()).toEqual(Object.keys(factTables.fact_quote_line_price.columns).sort());
    expect(row).toMatchObject({
      quote_id: 'q-1',
      quote_revision: 3,
      fact_kind: 'PRICED',
      product_family: 'Connectivity',
      region: 'APAC',
      list_price_amount: 900,
      discount_amount: 225,
      discount_line_discretionary_amount: 225,
      discount_promotion_amount: 0,
      net_price_amount: 675,
      margin_amount: null,
      created_date_key: 20261120,
      approved_date_key: null,
    });
  });

  it('an accepted quote carries the approval basis and date; events without price give nothing', () => {
    const accepted = factsOf({
      ...priced({ approvalGrant: { basis: 'DECISION', grantedAt: '2026-11-23T12:00:00.000Z' } }),
      eventType: 'QuoteAcceptedEvent',
    })!;
    expect(accepted.rows[0]).toMatchObject({
      fact_kind: 'ACCEPTED',
      approval_basis: 'DECISION',
      approved_date_key: 20261123,
    });
    // Unpriced and not a line change: no fact at all.
    expect(factsOf(priced({ price: null, changedAttributes: ['notes'] }))).toBeUndefined();
    expect(factsOf({ ...priced(), eventType: 'ProductOrderJeopardyEvent' })).toBeUndefined();
  });

  it('a task outcome gives one fact_order_fulfillment_task row with duration, retries and unknown outcome', () => {
    const task = (state: string) =>
      event('FulfillmentTaskStateChangeEvent', 'ORDER', {
        orderId: 'o-1',
        taskId: 't-1',
        orderItemId: '1',
        type: 'SERVICE_ACTIVATION',
        downstream: 'provisioning',
        productFamily: 'Connectivity',
        state,
        attempts: 3,
        queries: 1,
        lastErrorCode: 'DOWNSTREAM_REJECTED',
        dispatchedAt: '2026-11-24T09:59:00.000Z',
        completedAt: '2026-11-24T10:00:00.000Z',
        unknownSince: '2026-11-24T09:59:30.000Z',
      });
    expect(factsOf(task('IN_PROGRESS'))).toBeUndefined();
    const done = factsOf(task('DONE'))!;
    expect(done.table).toBe('fact_order_fulfillment_task');
    expect(done.rows[0]).toMatchObject({
      outcome: 'DONE',
      duration_seconds: 60,
      retry_count: 2,
      unknown_outcome: true,
      fallout_reason_code: null,
    });
    expect(factsOf(task('FAILED'))!.rows[0]).toMatchObject({
      outcome: 'FAILED',
      fallout_reason_code: 'DOWNSTREAM_REJECTED',
    });
  });

  it('the Firehose transformation returns NDJSON with the partition keys, drops events without facts', async () => {
    const record = (detail: unknown, id: string) => ({
      recordId: id,
      approximateArrivalTimestamp: 0,
      data: Buffer.from(JSON.stringify({ 'detail-type': 'x', detail })).toString('base64'),
    });
    const input: FirehoseTransformationEvent = {
      invocationId: 'i',
      deliveryStreamArn: 'arn',
      region: 'us-east-1',
      records: [
        record(priced(), 'a'),
        record({ ...priced(), eventType: 'CatalogReleasePublishedEvent', domain: 'catalog' }, 'b'),
        { recordId: 'c', approximateArrivalTimestamp: 0, data: 'bm90IGpzb24=' },
      ],
    };
    const out = await factMapper(input, { functionName: 'fact-mapper', awsRequestId: 'r' } as Context);
    expect(out.records.map((r) => r.result)).toEqual(['Ok', 'Dropped', 'ProcessingFailed']);
    expect(out.records[0]!.metadata?.partitionKeys).toEqual({
      table: 'fact_quote_line_price',
      dt: '2026-11-24',
    });
    const lines = Buffer.from(out.records[0]!.data!, 'base64').toString('utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!).quote_id).toBe('q-1');
  });
});
