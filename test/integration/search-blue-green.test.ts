import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAggregate } from '#adapters/aggregate-store';
import { loadSearchPointer, saveSearchPointer } from '#adapters/search-pointer';
import {
  indexedVersion,
  rebuildSearchIndex,
  reindexFromAggregate,
  rollbackSearchIndex,
} from '#adapters/search-reindex';
import { loadDoc, searchPage } from '#adapters/search-store';
import { entryPartition, type Scope, searchPlan } from '#domain/search/search-index';
import { searchDocChecksum, searchPointerKey } from '#domain/search/search-versions';
import { ensureTables } from '#local/dynamo';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { resourceEnv, tables } from '#topology';
import { project, saveOldHeldOrder, saveOldPendingQuote } from './old-aggregates.ts';

/**
 * The search index's blue/green versions (requirements 003 §22.1) on DynamoDB Local. The index
 * pointer is global to its table, so this file works on tables of its own: a switch here cannot
 * change what the other files' searches read.
 */
beforeAll(async () => {
  const suffix = randomUUID().slice(0, 8);
  const names = {
    aggregates: `bluegreen-aggregates-${suffix}`,
    readModels: `bluegreen-read-models-${suffix}`,
    search: `bluegreen-search-${suffix}`,
  } as const;
  const client = new DynamoDBClient({});
  try {
    await ensureTables(client, {
      [names.aggregates]: tables.aggregates,
      [names.readModels]: tables.readModels,
      [names.search]: tables.search,
    });
  } finally {
    client.destroy();
  }
  for (const [table, name] of Object.entries(names))
    process.env[resourceEnv.tables[table as keyof typeof names]] = name;
});

const all = { kind: 'all' } as const;
const findQuote = async (quoteId: string, scope: Scope = all) => {
  const page = await searchPage('quote', searchPlan('quote', { quoteNumber: quoteId }, scope)!, 100);
  return page.docs.some((d) => d.documentType === 'quote' && d.quoteId === quoteId);
};
/** The items stored under a partition of the table itself (not the GSI). */
const stored = async (pk: string) =>
  (
    await documentClient().send(
      new QueryCommand({
        TableName: env.table('search'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    )
  ).Items ?? [];
const docOf = async (type: 'quote' | 'order', id: string, version: number) => {
  const stored = await loadDoc(type, id, version);
  return (
    stored && ((type === 'quote' ? stored.state : stored.doc) as Parameters<typeof searchDocChecksum>[0])
  );
};

describe('search index blue/green (build beside, verify, switch, roll back by command)', () => {
  it('starts a new table on the current schema: each value written once, a partner reads its channel from the GSI', async () => {
    expect(await loadSearchPointer()).toMatchObject({ active: 1, schemas: { '1': 2 }, exists: true });
    const quoteId = await saveOldPendingQuote(`acct-${randomUUID()}`);
    await project('QUOTE', quoteId);
    const channel: Scope = { kind: 'channel', channelId: (await docOf('quote', quoteId, 1))!.channelId };
    const entry = (scope: Scope) => entryPartition('quote', 'quoteNumber', scope, quoteId);
    expect(await stored(entry(channel))).toEqual([]);
    expect(await stored(entry(all))).toEqual([expect.objectContaining({ channelPk: entry(channel) })]);
    expect(await findQuote(quoteId)).toBe(true);
    expect(await findQuote(quoteId, channel)).toBe(true);
    expect(await findQuote(quoteId, { kind: 'channel', channelId: 'partner-other' })).toBe(false);
  });

  it('reads a table from before schemas in its layout, rebuilds it into the current one beside it, switches and rolls back', async () => {
    // A deployed table written before schemas has no pointer: version 1, schema 1 (every entry twice).
    await documentClient().send(new DeleteCommand({ TableName: env.table('search'), Key: searchPointerKey }));
    const accountId = `acct-${randomUUID()}`;
    const quoteId = await saveOldPendingQuote(accountId);
    const orderId = await saveOldHeldOrder(accountId);
    await project('QUOTE', quoteId);
    await project('ORDER', orderId);
    expect(await loadSearchPointer()).toMatchObject({ active: 1, exists: false });
    const channel: Scope = { kind: 'channel', channelId: (await docOf('quote', quoteId, 1))!.channelId };
    const entry = (scope: Scope) => entryPartition('quote', 'quoteNumber', scope, quoteId);
    expect(await stored(entry(channel))).toHaveLength(1);
    expect(await findQuote(quoteId)).toBe(true);
    expect(await findQuote(quoteId, channel)).toBe(true);

    const report = await rebuildSearchIndex();
    expect(report).toMatchObject({ fromVersion: 1, toVersion: 2, switched: true });
    expect(report.differences).toEqual([]);
    expect(await loadSearchPointer()).toMatchObject({ active: 2, previous: 1, schemas: { '2': 2 } });
    expect(await stored(`v2#${entry(channel)}`)).toEqual([]);
    expect(await stored(`v2#${entry(all)}`)).toEqual([
      expect.objectContaining({ channelPk: `v2#${entry(channel)}` }),
    ]);
    expect(await findQuote(quoteId, channel)).toBe(true);
    // Built beside the old version: both hold the document, with the same content.
    for (const [type, id] of [
      ['quote', quoteId],
      ['order', orderId],
    ] as const) {
      const [v1, v2] = [await docOf(type, id, 1), await docOf(type, id, 2)];
      expect(v2, `${type} v2`).toBeDefined();
      expect(searchDocChecksum(v2!)).toBe(searchDocChecksum(v1!));
    }
    expect(await indexedVersion('order', orderId)).toEqual({ version: 4, state: 'held' });

    // Searches read the active version: damage to v1 is invisible until a rollback switches to it.
    const v1Doc = { pk: `DOC#quote#${quoteId}`, sk: 'DOC' };
    await documentClient().send(new DeleteCommand({ TableName: env.table('search'), Key: v1Doc }));
    expect(await findQuote(quoteId)).toBe(true);
    expect(await rollbackSearchIndex()).toEqual({ fromVersion: 2, toVersion: 1 });
    expect(await loadSearchPointer()).toMatchObject({ active: 1, previous: 2 });
    expect(await findQuote(quoteId)).toBe(false);
    // Version 1 is still read in its own layout: its channel entries are still its own items.
    expect(await findQuote(quoteId, channel)).toBe(false);
    expect(await indexedVersion('quote', quoteId)).toBeUndefined();

    // The reconciliation repair re-indexes into every version kept (active and previous).
    const source = (await loadAggregate<Record<string, unknown>>('QUOTE', quoteId))!;
    await reindexFromAggregate('quote', source.aggregate, source.version, new Date().toISOString());
    expect(await findQuote(quoteId)).toBe(true);
    expect(await findQuote(quoteId, channel)).toBe(true);
    // Rolling back twice rolls forward.
    expect(await rollbackSearchIndex()).toEqual({ fromVersion: 1, toVersion: 2 });
    expect(await findQuote(quoteId)).toBe(true);
    expect(await findQuote(quoteId, channel)).toBe(true);
  });

  it('writes live changes to the active and the previous version, so a rollback is as fresh', async () => {
    expect(await loadSearchPointer()).toMatchObject({ active: 2, previous: 1 });
    const quoteId = await saveOldPendingQuote(`acct-${randomUUID()}`);
    await project('QUOTE', quoteId);
    expect(await docOf('quote', quoteId, 2)).toBeDefined();
    expect(await docOf('quote', quoteId, 1)).toBeDefined();
  });

  it('lets only one operator move the pointer: a switch from a stale read is refused', async () => {
    const read = await loadSearchPointer();
    await saveSearchPointer({ ...read, active: read.previous!, previous: read.active }, read);
    await expect(saveSearchPointer({ ...read, active: 7 }, read)).rejects.toThrow(/conditional/i);
    await expect(rollbackSearchIndex()).resolves.toEqual({
      fromVersion: read.previous,
      toVersion: read.active,
    });
  });
});
