import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { aggregateKey, VersionConflict } from '#adapters/aggregate-store';
import { loadQuote } from '#adapters/quote-loader';
import { loadQuoteWithCatalog, saveQuote } from '#adapters/quote-repository';
import type { Actor, CommandContext } from '#domain/actor';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { createQuote, type LineInput, priceQuote, replaceLines } from '#domain/quote/quote';
import { quoteBounds } from '#domain/quote/quote-bounds';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

const seller: Actor = { principalId: 'sales-user', role: 'sales', channelId: 'sales-portal' };
const ctx = (): CommandContext & { catalog: typeof demoCatalogRelease } => ({
  now: new Date().toISOString(),
  actor: seller,
  correlationId: randomUUID(),
  catalog: demoCatalogRelease,
});
const lines = (n: number): LineInput[] =>
  Array.from(
    { length: n },
    (_, i): LineInput =>
      i % 2 === 0
        ? { offeringId: 'off-fiber-1g', quantity: 1, options: { term: 24 } }
        : { offeringId: 'off-sdwan', quantity: 1, options: { sites: 2 } },
  );

/** Every item of the quote's partition: its header and its pages. */
const partition = async (quoteId: string) =>
  (
    await documentClient().send(
      new QueryCommand({
        TableName: env.table('aggregates'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': aggregateKey('QUOTE', quoteId).pk },
      }),
    )
  ).Items ?? [];

describe('a 500-line quote in DynamoDB', () => {
  it('is written as a header and pages far below 400 KB, and every reader gets it whole', async () => {
    const c = ctx();
    const created = createQuote(
      {
        customer: { accountId: `acct-${randomUUID()}`, name: 'Acme' },
        currency: 'USD',
        lines: lines(quoteBounds.maxLines),
      },
      { ...c, quoteId: `q-${randomUUID()}` },
    );
    const id = created.quote.id;
    const v1 = await saveQuote(created.quote, 0, created.events, c);
    const priced = priceQuote({ ...created.quote, version: v1 }, c).quote;
    const v2 = await saveQuote(priced, v1, [], c, undefined, created.quote);

    const items = await partition(id);
    expect(Math.max(...items.map((i) => JSON.stringify(i).length))).toBeLessThan(100 * 1024);
    const pagesWrittenAt = (prefix: string) =>
      items.filter((i) => String(i.sk).startsWith(prefix)).map((i) => i.updatedAt);
    // Pricing rewrote the price and trace pages, not the lines.
    expect(new Set(pagesWrittenAt('PAGE#L#'))).toEqual(new Set([created.quote.createdAt]));
    expect(pagesWrittenAt('PAGE#P#').every((at) => at === c.now)).toBe(true);

    const loaded = await loadQuote(id);
    expect(loaded?.version).toBe(v2);
    expect(loaded?.aggregate).toEqual({ ...priced, version: v2 });
    const read = await loadQuoteWithCatalog(seller, id);
    expect(read.quote().aggregate.priceSnapshot?.lines).toHaveLength(quoteBounds.maxLines);
  });

  it('a write on a stale version writes no page; a quote that shrank reads only its own pages', async () => {
    const c = ctx();
    const created = createQuote(
      { customer: { accountId: `acct-${randomUUID()}`, name: 'Acme' }, currency: 'USD', lines: lines(450) },
      { ...c, quoteId: `q-${randomUUID()}` },
    );
    const id = created.quote.id;
    const v1 = await saveQuote(created.quote, 0, created.events, c);
    const shorter = replaceLines({ ...created.quote, version: v1 }, { lines: lines(150) }, c).quote;
    const before = await partition(id);
    await expect(saveQuote(shorter, v1 + 1, [], c, undefined, created.quote)).rejects.toBeInstanceOf(
      VersionConflict,
    );
    expect(await partition(id)).toEqual(before);

    const v2 = await saveQuote(shorter, v1, [], c, undefined, created.quote);
    const loaded = await loadQuote(id);
    expect(loaded?.version).toBe(v2);
    expect(loaded?.aggregate.lines).toHaveLength(150);
    expect(loaded?.aggregate).toEqual({ ...shorter, version: v2 });
  });
});
