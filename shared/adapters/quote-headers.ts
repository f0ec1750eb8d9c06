import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { aggregateKey, batchReadAttempts } from '#adapters/aggregate-store';
import type { PricedHeader } from '#domain/quote/deal-margin';
import { documentClient } from '#plumbing/clients';
import { isDependencyOutage } from '#plumbing/dependency-outage';
import { env } from '#plumbing/env';

/**
 * The price totals of a page of quotes, from their header items (`QUOTE#<id>`, sort key `A`) in
 * one eventually consistent BatchGetItem: at most one item per quote, never a quote's pages (a
 * large quote's header keeps the snapshot's totals). Only the totals, currency and version are
 * returned; DynamoDB still bills the header's whole size. Keys DynamoDB leaves unprocessed are
 * asked again (as `loadAggregates` does); a quote still unread, or DynamoDB unavailable, is
 * left out: its margin is unknown, the list still answers.
 */
export const readPricedHeaders = async (quoteIds: readonly string[]): Promise<PricedHeader[]> => {
  const table = env.table('aggregates');
  let pending: Record<string, string>[] = [...new Set(quoteIds)].map((id) => aggregateKey('QUOTE', id));
  const headers: PricedHeader[] = [];
  for (let attempt = 1; pending.length > 0 && attempt <= batchReadAttempts; attempt++) {
    // Full-jitter backoff before asking again for what DynamoDB left unprocessed (throttling).
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** attempt));
    try {
      const res = await documentClient().send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ProjectionExpression: 'pk, version, #d.priceSnapshot.totals, #d.priceSnapshot.currency',
              ExpressionAttributeNames: { '#d': 'data' },
            },
          },
        }),
      );
      for (const item of res.Responses?.[table] ?? []) {
        const snapshot = (item.data as { priceSnapshot?: PricedHeader['priceSnapshot'] } | undefined)
          ?.priceSnapshot;
        headers.push({
          quoteId: String(item.pk).slice('QUOTE#'.length),
          version: Number(item.version),
          ...(snapshot?.totals ? { priceSnapshot: snapshot } : {}),
        });
      }
      pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as typeof pending;
    } catch (error) {
      if (!(await isDependencyOutage(error))) throw error;
      break;
    }
  }
  return headers;
};
