import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { readApprovalInbox, readExpiringQuotes } from '#adapters/read-model-queries';
import { loadPointer, loadRow, loadTimeline } from '#adapters/read-model-store';
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
    expect(doc).toMatchObject({ revision: 1, state: { quoteId, state: 'pending', channelId: 'partner-a' } });
    expect(doc).not.toHaveProperty('doc');
    expect(doc!.entryCodes.length).toBeGreaterThan(0);
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
      envelope: {
        ...(good!.envelope as Record<string, unknown>),
        eventId: randomUUID(),
        aggregateId: `q-${randomUUID()}`,
        // An item over DynamoDB's 400 KB limit: the write fails, the record is reported.
        resource: { id: 'x', state: 'inProgress', channelId: 'x'.repeat(450_000), accountId: 'a' },
      },
    };
    const records = [insertRecord(good!), insertRecord(poison)];
    const res = await handler(streamEvent(records), lambdaContext());
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }]);
    expect((await quoteRow(quoteId))?.state).toBe('inProgress');
  });
});
