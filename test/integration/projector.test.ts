import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { outboxEnvelope, packedEnvelope } from '#adapters/outbox-item';
import { unpacked } from '#adapters/packed-data';
import { readApprovalInbox, readExpiringQuotes } from '#adapters/read-model-queries';
import { listRows, loadPointer, loadRow, loadTimeline } from '#adapters/read-model-store';
import type { OrderTrackingRow } from '#domain/projections/order-tracking';
import type { QuoteSummaryRow } from '#domain/projections/quote-summary';
import { contentChecksum } from '#domain/projections/source-event';
import { handler } from '#functions/streams/projector';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { insertRecord, lambdaContext, outboxItems, saveQuoteLife, streamEvent } from './stream-support.ts';

const project = (items: Record<string, unknown>[]) =>
  handler(streamEvent(items.map(insertRecord)), lambdaContext());

/** Follows the cursor to the end: pages of 2 prove that the cursor neither skips nor repeats. */
const everyPage = async <R>(
  read: (after?: string) => Promise<{ rows: R[]; next?: string }>,
): Promise<R[]> => {
  const out: R[] = [];
  let after: string | undefined;
  do {
    const page = await read(after);
    out.push(...page.rows);
    after = page.next;
  } while (after);
  return out;
};

const quoteRow = async (quoteId: string) => {
  const { active } = await loadPointer('expiring-quotes');
  return (await loadRow<QuoteSummaryRow>('expiring-quotes', active, quoteId))?.row;
};

const searchDocument = async (type: 'quote' | 'order', id: string) =>
  (
    await documentClient().send(
      new GetCommand({ TableName: env.table('search'), Key: { pk: `DOC#${type}#${id}`, sk: 'DOC' } }),
    )
  ).Item;

/** An order's outbox item at a version, as the aggregate store writes it (one event a version). */
const orderOutboxItem =
  (orderId: string) => (version: number, eventType: string, resource: Record<string, unknown>) => ({
    pk: `OUTBOX#ORDER#${orderId}`,
    sk: `${String(version).padStart(10, '0')}#0000`,
    itemType: 'outbox',
    envelope: {
      eventId: randomUUID(),
      eventTime: new Date(Date.UTC(2026, 10, 1) + version * 1000).toISOString(),
      eventType,
      domain: 'productOrder',
      correlationId: 'c-1',
      aggregateType: 'ORDER',
      aggregateId: orderId,
      aggregateVersion: version,
      resource,
    },
  });

describe('projector against DynamoDB Local', () => {
  it("writes a quote's search document once per batch, from the reducer state only; a redelivered batch writes nothing", async () => {
    const quoteId = `q-${randomUUID()}`;
    await saveQuoteLife({
      quoteId,
      accountId: `acct-${randomUUID()}`,
      channelId: 'partner-a',
      until: 'pending',
    });
    const items = await outboxItems('QUOTE', quoteId);
    expect(items.length).toBeGreaterThan(1);
    expect(await project(items)).toEqual({ batchItemFailures: [] });
    const doc = await searchDocument('quote', quoteId);
    expect(doc).toMatchObject({ revision: 1 });
    expect(unpacked(doc!, 'state')).toMatchObject({ quoteId, state: 'pending', channelId: 'partner-a' });
    expect(doc).not.toHaveProperty('doc');
    expect(unpacked<string[]>(doc!, 'entryCodes').length).toBeGreaterThan(0);
    expect(await project(items)).toEqual({ batchItemFailures: [] });
    expect((await searchDocument('quote', quoteId))!.revision).toBe(1);
  });

  it('projects outbox records into the quote views and the timeline, with freshness', async () => {
    const quoteId = `q-${randomUUID()}`;
    const accountId = `acct-${randomUUID()}`;
    await saveQuoteLife({ quoteId, accountId, channelId: 'partner-a', until: 'pending' });
    const items = await outboxItems('QUOTE', quoteId);
    expect(await project(items)).toEqual({ batchItemFailures: [] });
    const row = await quoteRow(quoteId);
    expect(row).toMatchObject({ quoteId, state: 'pending', channelId: 'partner-a' });
    expect(row!.freshness.sourceVersion).toBe(2);
    expect(row!.freshness.lagMs).toBeGreaterThanOrEqual(0);
    const inbox = await everyPage((after) => readApprovalInbox({ limit: 2, ...(after ? { after } : {}) }));
    expect(inbox.find((r) => r.quoteId === quoteId)?.requests[`req-${quoteId}`]?.reasonCodes).toEqual([
      'DISCOUNT_ABOVE_FLOOR',
    ]);
    // The channel's own partition holds it; another channel's does not.
    const expiring = (channelId: string) =>
      everyPage((after) =>
        readExpiringQuotes(new Date().toISOString(), 7, { limit: 2, channelId, ...(after ? { after } : {}) }),
      );
    expect((await expiring('partner-a')).some((r) => r.quoteId === quoteId)).toBe(true);
    expect((await expiring('partner-b')).some((r) => r.quoteId === quoteId)).toBe(false);
    const { active } = await loadPointer('account-timeline');
    const first = await loadTimeline(active, `partner-a:${accountId}`, { limit: 2 });
    expect(first.entries).toHaveLength(2);
    const rest = await loadTimeline(active, `partner-a:${accountId}`, { limit: 2, after: first.next! });
    expect(rest.next).toBeUndefined();
    const timeline = [...first.entries, ...rest.entries];
    expect(timeline.map((e) => e.source.eventType)).toEqual([
      'QuoteCreateEvent',
      expect.stringMatching(/QuoteStateChangeEvent|QuoteApprovalRequestedEvent/),
      expect.stringMatching(/QuoteStateChangeEvent|QuoteApprovalRequestedEvent/),
    ]);
  });

  it('duplicate and out-of-order records change nothing', async () => {
    const quoteId = `q-${randomUUID()}`;
    await saveQuoteLife({ quoteId, accountId: `acct-${randomUUID()}`, channelId: 'sales-portal' });
    const items = await outboxItems('QUOTE', quoteId);
    await project(items);
    const inOrder = await quoteRow(quoteId);
    expect(inOrder?.state).toBe('accepted');
    // Redelivery of everything, reversed, and each twice.
    await project([...items].reverse());
    await project([...items, ...items]);
    // An old record alone (what a retried batch would re-send) cannot regress the row.
    await project([items[0]!]);
    const after = await quoteRow(quoteId);
    expect(after?.state).toBe('accepted');
    expect(contentChecksum(after!)).toBe(contentChecksum(inOrder!));
    expect(after!.freshness.projectedAt).toBe(inOrder!.freshness.projectedAt);
  });

  it('concurrent deliveries of the same records converge on the in-order row', async () => {
    const quoteId = `q-${randomUUID()}`;
    await saveQuoteLife({ quoteId, accountId: `acct-${randomUUID()}`, channelId: 'sales-portal' });
    const items = await outboxItems('QUOTE', quoteId);
    const shuffled = () => [...items].sort(() => Math.random() - 0.5);
    const results = await Promise.all(Array.from({ length: 6 }, () => project(shuffled())));
    expect(results.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    const row = await quoteRow(quoteId);
    expect(row?.state).toBe('accepted');
    expect(row?.applied).toHaveLength(items.length);
  });

  it('reports only the failing record as a batch item failure', async () => {
    const quoteId = `q-${randomUUID()}`;
    await saveQuoteLife({
      quoteId,
      accountId: `acct-${randomUUID()}`,
      channelId: 'sales-portal',
      until: 'created',
    });
    const [good] = await outboxItems('QUOTE', quoteId);
    const poison = {
      ...good!,
      sk: 'poison',
      ...packedEnvelope({
        ...outboxEnvelope(good!)!,
        eventId: randomUUID(),
        aggregateId: `q-${randomUUID()}`,
        // An item over DynamoDB's 400 KB limit: the write fails, the record is reported.
        resource: { id: 'x', state: 'inProgress', channelId: 'x'.repeat(450_000), accountId: 'a' },
      }),
    };
    const records = [insertRecord(good!), insertRecord(poison)];
    const res = await handler(streamEvent(records), lambdaContext());
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }]);
    expect((await quoteRow(quoteId))?.state).toBe('inProgress');
  });

  it("writes a task event on a large order as that task's own item: the row item and the other tasks stay as they were", async () => {
    const orderId = `o-${randomUUID()}`;
    const header = { id: orderId, channelId: 'partner-a', accountId: `acct-${randomUUID()}`, quoteId: 'q-1' };
    const envelope = orderOutboxItem(orderId);
    const task = (n: number, state: string) => ({
      ...header,
      orderId,
      taskId: `t-${n}`,
      orderItemId: `item-${n}`,
      type: 'ACCESS_PROVISION',
      action: 'add',
      downstream: 'provisioning',
      correlationId: `ful-${n}`,
      state,
      attempts: 1,
      ownerTeam: 'network-ops',
      queries: 0,
    });
    const started = [
      envelope(1, 'ProductOrderCreateEvent', { ...header, state: 'acknowledged', orderDate: '2026-11-01' }),
      ...Array.from({ length: 40 }, (_, n) =>
        envelope(2 + n, 'FulfillmentTaskStateChangeEvent', task(n, 'IN_PROGRESS')),
      ),
    ];
    expect(await project(started)).toEqual({ batchItemFailures: [] });
    const { active } = await loadPointer('order-tracking');
    const items = async () =>
      new Map(
        (
          await documentClient().send(
            new QueryCommand({
              TableName: env.table('readModels'),
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': `order-tracking#v${active}#${orderId}` },
              ConsistentRead: true,
            }),
          )
        ).Items!.map((i) => [i.sk as string, JSON.stringify(i)]),
      );
    const before = await items();
    expect(before.size).toBe(41);
    expect(await project([envelope(42, 'FulfillmentTaskStateChangeEvent', task(7, 'DONE'))])).toEqual({
      batchItemFailures: [],
    });
    const after = await items();
    const changed = [...after].filter(([sk, item]) => before.get(sk) !== item).map(([sk]) => sk);
    expect(changed).toEqual(['PART#t-7']);
    const row = (await loadRow<OrderTrackingRow>('order-tracking', active, orderId))!.row;
    expect(Object.keys(row.tasks)).toHaveLength(40);
    expect(row.tasks['t-7']?.state).toBe('DONE');
    expect(row.freshness.sourceVersion).toBe(42);
  });

  it('moves a row written whole (before tasks had items of their own) into task items at its next write, losing no task', async () => {
    const orderId = `o-${randomUUID()}`;
    const { active } = await loadPointer('order-tracking');
    const pk = `order-tracking#v${active}#${orderId}`;
    const order = orderOutboxItem(orderId);
    const outbox = (version: number, eventType: string, resource: Record<string, unknown>) =>
      order(version, eventType, { orderId, id: orderId, channelId: 'partner-a', ...resource });
    const taskEvent = (version: number, n: number, state: string) =>
      outbox(version, 'FulfillmentTaskStateChangeEvent', {
        taskId: `t-${n}`,
        type: 'ACCESS_PROVISION',
        downstream: 'provisioning',
        state,
        attempts: 1,
      });
    await project([
      outbox(1, 'ProductOrderCreateEvent', { state: 'acknowledged' }),
      taskEvent(2, 0, 'IN_PROGRESS'),
      taskEvent(3, 1, 'IN_PROGRESS'),
      taskEvent(4, 2, 'IN_PROGRESS'),
    ]);
    const whole = (await loadRow<OrderTrackingRow>('order-tracking', active, orderId))!;
    const rowItem = (
      await documentClient().send(
        new GetCommand({ TableName: env.table('readModels'), Key: { pk, sk: 'ROW' } }),
      )
    ).Item!;
    await documentClient().send(
      new PutCommand({ TableName: env.table('readModels'), Item: { ...rowItem, data: whole.row } }),
    );
    for (const n of [0, 1, 2])
      await documentClient().send(
        new DeleteCommand({ TableName: env.table('readModels'), Key: { pk, sk: `PART#t-${n}` } }),
      );
    await project([taskEvent(5, 0, 'DONE')]);
    const parts = (
      await documentClient().send(
        new QueryCommand({
          TableName: env.table('readModels'),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :part)',
          ExpressionAttributeValues: { ':pk': pk, ':part': 'PART#' },
          ConsistentRead: true,
        }),
      )
    ).Items!.map((i) => i.sk);
    expect(parts).toEqual(['PART#t-0', 'PART#t-1', 'PART#t-2']);
    const row = (await loadRow<OrderTrackingRow>('order-tracking', active, orderId))!.row;
    expect(Object.values(row.tasks).map((t) => [t.taskId, t.state])).toEqual([
      ['t-0', 'DONE'],
      ['t-1', 'IN_PROGRESS'],
      ['t-2', 'IN_PROGRESS'],
    ]);
  });

  it('keeps a row over a KB packed under `data`, which its indexes project: by key and by list it reads as the same row kept plain', async () => {
    const orderId = `o-${randomUUID()}`;
    const channelId = 'partner-a';
    const orderDate = '2026-11-02';
    await project([
      orderOutboxItem(orderId)(1, 'ProductOrderCreateEvent', {
        id: orderId,
        orderId,
        channelId,
        accountId: `acct-${randomUUID()}`,
        quoteId: 'q-1',
        state: 'acknowledged',
        orderDate,
        customerName: 'Northwind Regional Hospitals Group '.repeat(40),
      }),
    ]);
    const { active } = await loadPointer('order-tracking');
    const key = { pk: `order-tracking#v${active}#${orderId}`, sk: 'ROW' };
    const stored = (
      await documentClient().send(
        new GetCommand({ TableName: env.table('readModels'), Key: key, ConsistentRead: true }),
      )
    ).Item!;
    expect(stored.data).toBeInstanceOf(Uint8Array);
    const sortKey = `${orderDate}#${orderId}`;
    const reads = async () => ({
      byKey: (await loadRow<OrderTrackingRow>('order-tracking', active, orderId))!.row,
      listed: (await listRows('order-tracking', active, { channelId, from: sortKey, to: sortKey, limit: 5 }))
        .rows,
    });
    const packed = await reads();
    expect(packed.byKey.customerName).toMatch(/^Northwind/);
    expect(packed.listed).toHaveLength(1);
    await documentClient().send(
      new PutCommand({ TableName: env.table('readModels'), Item: { ...stored, data: unpacked(stored) } }),
    );
    expect(await reads()).toEqual(packed);
  });
});
