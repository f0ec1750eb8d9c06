import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { loadAggregate } from '#adapters/aggregate-store';
import { saveQuote } from '#adapters/quote-repository';
import { changeQuote } from '#commands/quote-command';
import type { CommandContext } from '#domain/actor';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { createQuote, priceQuote, type Quote, replaceLines } from '#domain/quote/quote';

/** Writes that land between a command's read of the quote and its write. */
const racing = vi.hoisted(() => [] as (() => Promise<unknown>)[]);

vi.mock('#adapters/quote-repository', async (importOriginal) => {
  const real = await importOriginal<typeof import('#adapters/quote-repository')>();
  return {
    ...real,
    loadQuoteWithCatalog: async (...args: Parameters<typeof real.loadQuoteWithCatalog>) => {
      const read = await real.loadQuoteWithCatalog(...args);
      await racing.shift()?.();
      return read;
    },
  };
});

const ctx = (): CommandContext => ({
  now: new Date().toISOString(),
  actor: { principalId: 'sales-user', role: 'sales', channelId: 'sales-portal' },
  correlationId: randomUUID(),
});
const line = (discountPercent: number) => ({
  offeringId: 'off-fiber-1g',
  quantity: 1,
  options: { term: 24 },
  discountPercent,
});

const storedQuote = async (id: string) => (await loadAggregate<Quote>('QUOTE', id))!;

/** A draft quote, and a second editor who changes its lines (the racing writer). */
const draft = async () => {
  const catalogCtx = { ...ctx(), catalog: demoCatalogRelease };
  const created = createQuote(
    { customer: { accountId: `acct-${randomUUID()}`, name: 'Acme' }, currency: 'USD', lines: [line(5)] },
    { ...catalogCtx, quoteId: `q-${randomUUID()}` },
  );
  await saveQuote(created.quote, 0, created.events, catalogCtx);
  const otherEditor = async () => {
    const stored = await storedQuote(created.quote.id);
    const edit = replaceLines(stored.aggregate, { lines: [line(12)] }, catalogCtx);
    await saveQuote(edit.quote, stored.version, edit.events, catalogCtx);
  };
  return { id: created.quote.id, otherEditor };
};

describe('quote commands while another request writes the same quote', () => {
  it('without If-Match the command decides again on the current quote: the price covers the new lines', async () => {
    const { id, otherEditor } = await draft();
    racing.push(otherEditor);
    const { quote } = await changeQuote({ quoteId: id, ctx: ctx(), catalog: 'draft', decide: priceQuote });
    expect(racing).toHaveLength(0);
    const after = await storedQuote(id);
    expect(after.version).toBe(quote.version);
    expect(after.aggregate.lines[0]?.discountBasisPoints).toBe(1200);
    expect(after.aggregate.priceSnapshot?.lines[0]?.discountPercent).toBe(12);
  });

  it('with the version the client edited, a write in between is 412 and nothing of the command is written', async () => {
    const { id, otherEditor } = await draft();
    const read = await storedQuote(id);
    racing.push(otherEditor);
    const refused = await changeQuote({
      quoteId: id,
      ctx: ctx(),
      catalog: 'draft',
      expectedVersion: read.version,
      decide: priceQuote,
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'PRECONDITION_FAILED',
      status: 412,
      details: { currentVersion: read.version + 1 },
    });
    expect((await storedQuote(id)).aggregate.priceSnapshot).toBeUndefined();
  });
});
