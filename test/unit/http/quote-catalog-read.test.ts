import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchReadAttempts, loadAggregates } from '#adapters/aggregate-store';
import { catalogForDrafts, requireCurrentCatalog } from '#adapters/catalog-store';
import { loadQuoteWithCatalog } from '#adapters/quote-repository';
import type { Actor } from '#domain/actor';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { DomainError } from '#domain/errors';
import { dynamoClient } from '#plumbing/clients';
import { DependencyUnavailable } from '#plumbing/http/http-error';

type Key = { pk: string; sk: string };
type Request = { RequestItems: Record<string, { Keys: Key[]; ConsistentRead?: boolean }> };
const table = 'unit-aggregates';
const quoteItem = { pk: 'QUOTE#q-1', sk: 'A', version: 3, data: { id: 'q-1', channelId: 'partner-a' } };
const release = { ...demoCatalogRelease, catalogVersion: 'cat-unit' };
const catalogItem = { pk: 'CATALOG#current', sk: 'A', version: 7, data: { current: release, history: [] } };
const stored = [quoteItem, catalogItem];

/** DynamoDB's answers, one per request, in the document client's shape (inside the SDK client). */
let answers: ((request: Request) => unknown)[] = [];
let sent: Request[] = [];
const found = (request: Request, except: string[] = []) => ({
  Responses: {
    [table]: stored.filter((i) =>
      request.RequestItems[table]!.Keys.some((k) => k.pk === i.pk && !except.includes(i.pk)),
    ),
  },
  UnprocessedKeys: except.length
    ? { [table]: { Keys: except.map((pk) => ({ pk, sk: 'A' })), ConsistentRead: true } }
    : {},
});
const throttled = () =>
  new ProvisionedThroughputExceededException({ $metadata: { httpStatusCode: 400 }, message: 'busy' });

beforeAll(() => {
  process.env.AGGREGATES_TABLE = table;
  process.env.AWS_REGION ??= 'us-east-1';
  dynamoClient().middlewareStack.add(
    () => async (args) => {
      const request = structuredClone(args.input) as Request;
      sent.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error('no answer left');
      const output = answer(request);
      if (output instanceof Error) throw output;
      return { output: { ...(output as object), $metadata: {} } as never, response: {} };
    },
    { step: 'initialize', name: 'unitDynamoAnswer' },
  );
});
afterEach(() => {
  answers = [];
  sent = [];
});

const quote = { kind: 'QUOTE', id: 'q-1' } as const;
const catalog = { kind: 'CATALOG', id: 'current' } as const;
const thrown = (read: () => unknown) => {
  try {
    read();
    return undefined;
  } catch (error) {
    return error;
  }
};

describe('loadAggregates: several aggregates in one consistent BatchGetItem', () => {
  it('reads every key in one request, consistently; an absent aggregate is undefined', async () => {
    answers = [(r) => found(r)];
    const [q, c, absent] = await loadAggregates([quote, catalog, { kind: 'QUOTE', id: 'q-none' }]);
    expect(sent).toEqual([
      {
        RequestItems: {
          [table]: {
            Keys: [
              { pk: 'QUOTE#q-1', sk: 'A' },
              { pk: 'CATALOG#current', sk: 'A' },
              { pk: 'QUOTE#q-none', sk: 'A' },
            ],
            ConsistentRead: true,
          },
        },
      },
    ]);
    expect(q!()).toMatchObject({ aggregate: quoteItem.data, version: 3 });
    expect(c!()).toMatchObject({ aggregate: catalogItem.data, version: 7 });
    expect(absent!()).toBeUndefined();
  });

  it('asks again for the keys DynamoDB left unprocessed, and only those', async () => {
    answers = [(r) => found(r, ['CATALOG#current']), (r) => found(r)];
    const [q, c] = await loadAggregates([quote, catalog]);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.RequestItems[table]).toEqual({
      Keys: [{ pk: 'CATALOG#current', sk: 'A' }],
      ConsistentRead: true,
    });
    expect(q!()).toMatchObject({ aggregate: quoteItem.data, version: 3 });
    expect(c!()).toMatchObject({ aggregate: catalogItem.data, version: 7 });
  });

  it('a key still unprocessed after every attempt is unavailable on its own; the other is read', async () => {
    answers = Array.from({ length: batchReadAttempts }, () => (r: Request) => found(r, ['CATALOG#current']));
    const [q, c] = await loadAggregates([quote, catalog]);
    expect(sent).toHaveLength(batchReadAttempts);
    expect(q!()).toMatchObject({ aggregate: quoteItem.data, version: 3 });
    expect(thrown(() => c!())).toBeInstanceOf(DependencyUnavailable);
  });

  it('a batch refused as a whole after the SDK retries (every partition busy): every key unavailable', async () => {
    answers = [throttled];
    const [q, c] = await loadAggregates([quote, catalog]);
    expect(sent).toHaveLength(1);
    expect(thrown(() => q!())).toBeInstanceOf(DependencyUnavailable);
    expect(thrown(() => c!())).toBeInstanceOf(DependencyUnavailable);
  });

  it('a refusal that is not an outage (a defect) is thrown as is', async () => {
    answers = [() => new TypeError('malformed')];
    await expect(loadAggregates([quote, catalog])).rejects.toBeInstanceOf(TypeError);
  });
});

describe('a quote command reads its quote and the catalog pointer together, each failing as its own read would', () => {
  const partnerA: Actor = { principalId: 'p', role: 'partner', channelId: 'partner-a' };
  const partnerB: Actor = { principalId: 'p', role: 'partner', channelId: 'partner-b' };
  const catalogUnprocessed = () =>
    Array.from({ length: batchReadAttempts }, () => (r: Request) => found(r, ['CATALOG#current']));

  it('both read: the quote for its channel and the current release', async () => {
    answers = [(r) => found(r)];
    const read = await loadQuoteWithCatalog(partnerA, 'q-1');
    expect(sent).toHaveLength(1);
    expect(read.quote().version).toBe(3);
    expect(await requireCurrentCatalog('PRICING_UNAVAILABLE', read.catalog)).toEqual(release);
    expect(await catalogForDrafts(read.catalog)).toEqual({ release, degraded: false });
  });

  it("another channel's quote and a missing quote are both 404", async () => {
    answers = [(r) => found(r), (r) => found(r)];
    const other = await loadQuoteWithCatalog(partnerB, 'q-1');
    expect(thrown(() => other.quote())).toMatchObject({ code: 'NOT_FOUND' });
    const missing = await loadQuoteWithCatalog(partnerA, 'q-none');
    expect(thrown(() => missing.quote())).toBeInstanceOf(DomainError);
  });

  it('catalog unreadable: the price book is refused with the caller code, drafts go on with the last release read, flagged', async () => {
    answers = [(r) => found(r)];
    await catalogForDrafts((await loadQuoteWithCatalog(partnerA, 'q-1')).catalog); // the release read last
    answers = catalogUnprocessed();
    const read = await loadQuoteWithCatalog(partnerA, 'q-1');
    expect(read.quote().version).toBe(3);
    await expect(requireCurrentCatalog('PRICING_UNAVAILABLE', read.catalog)).rejects.toMatchObject({
      name: 'DependencyUnavailable',
      code: 'PRICING_UNAVAILABLE',
      details: { dependency: 'catalog' },
    });
    expect(await catalogForDrafts(read.catalog)).toEqual({ release, degraded: true });
  });

  it('the quote unreadable (its partition busy): a plain 503, never a 404', async () => {
    answers = Array.from({ length: batchReadAttempts }, () => (r: Request) => found(r, ['QUOTE#q-1']));
    const read = await loadQuoteWithCatalog(partnerA, 'q-1');
    expect(thrown(() => read.quote())).toMatchObject({
      name: 'DependencyUnavailable',
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(await requireCurrentCatalog('PRICING_UNAVAILABLE', read.catalog)).toEqual(release);
  });
});
