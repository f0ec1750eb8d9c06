import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { aggregateKey, type Stored, unavailable } from '#adapters/aggregate-store';
import { itemsOf } from '#adapters/key-pages';
import { assembleQuote, quotePageCounts, quotePageKeys } from '#adapters/quote-pages';
import type { Quote } from '#domain/quote/quote-types';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/**
 * The quote an aggregate item holds: itself, or (a large quote, see quote-pages.ts) its header
 * with exactly the pages the header names, in one consistent batch read.
 */
export const withPages = async (item: Record<string, unknown>): Promise<Stored<Quote>> => {
  const header = item.data as Quote;
  const version = item.version as number;
  const counts = quotePageCounts(item);
  const keys = quotePageKeys(counts);
  if (keys.length === 0) return { aggregate: header, version };
  const pages = await itemsOf(
    env.table('aggregates'),
    keys.map((sk) => ({ pk: item.pk, sk })),
  ).catch(unavailable);
  const entries = pages.map((p) => ({ sk: p.sk as string, entries: p.entries as unknown[] }));
  return { aggregate: assembleQuote(header, counts, entries), version };
};

/** The whole quote, read consistently (no visibility check: for workflow and ops readers). */
export const loadQuote = async (quoteId: string): Promise<Stored<Quote> | undefined> => {
  const res = await documentClient()
    .send(
      new GetCommand({
        TableName: env.table('aggregates'),
        Key: aggregateKey('QUOTE', quoteId),
        ConsistentRead: true,
      }),
    )
    .catch(unavailable);
  return res.Item ? withPages(res.Item) : undefined;
};
