import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type EventEnvelope, loadAggregate, VersionConflict } from '#adapters/aggregate-store';
import { outboxEnvelope } from '#adapters/outbox-item';
import { saveQuote } from '#adapters/quote-repository';
import type { CommandContext } from '#domain/actor';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { createQuote, type Quote, replaceLines } from '#domain/quote/quote';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

const ctx = (): CommandContext & { catalog: typeof demoCatalogRelease } => ({
  now: new Date().toISOString(),
  actor: { principalId: 'sales-user', role: 'sales', channelId: 'sales-portal' },
  correlationId: randomUUID(),
  catalog: demoCatalogRelease,
});
const line = (discountPercent: number) => ({
  offeringId: 'off-fiber-1g',
  quantity: 1,
  options: { term: 24 },
  discountPercent,
});

describe('two concurrent edits of one quote against DynamoDB Local', () => {
  it('commits exactly one; the other gets a version conflict and writes neither state nor event', async () => {
    const created = createQuote(
      { customer: { accountId: 'acct-it', name: 'Acme' }, currency: 'USD', lines: [line(5)] },
      { ...ctx(), quoteId: `q-${randomUUID()}` },
    );
    const v1 = await saveQuote(created.quote, 0, created.events, ctx());
    const stored = (await loadAggregate<Quote>('QUOTE', created.quote.id))!;
    expect(stored.version).toBe(v1);

    const edits = [12, 18].map((d) => replaceLines(stored.aggregate, { lines: [line(d)] }, ctx()));
    const outcomes = await Promise.allSettled(
      edits.map((e) => saveQuote(e.quote, stored.version, e.events, ctx())),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(VersionConflict);

    const after = (await loadAggregate<Quote>('QUOTE', created.quote.id))!;
    expect(after.version).toBe(v1 + 1);
    const winner = edits[outcomes.indexOf(won[0]!)]!;
    expect(after.aggregate.lines).toEqual(winner.quote.lines);

    // The outbox holds the create events and the winner's events, nothing of the loser.
    const outbox = await documentClient().send(
      new QueryCommand({
        TableName: env.table('aggregates'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `OUTBOX#QUOTE#${created.quote.id}` },
      }),
    );
    const versions = (outbox.Items ?? []).map((i) => outboxEnvelope<EventEnvelope>(i)!.aggregateVersion);
    expect(versions.filter((v) => v === v1 + 1)).toHaveLength(winner.events.length);
    expect(versions.every((v) => v <= v1 + 1)).toBe(true);
  });
});
