import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { putEventsMaxBytes } from '#adapters/put-events-limits';
import {
  assembleQuote,
  changedQuotePages,
  chunk,
  quoteLayoutOf,
  quotePageKeys,
  quotePageLayout,
} from '#adapters/quote-pages';
import { demoCatalogRelease } from '#domain/catalog/demo-catalog-release';
import { storedBytes } from '#domain/order/order-bounds';
import {
  acceptQuote,
  createQuote,
  type LineInput,
  priceQuote,
  type Quote,
  submitQuote,
} from '#domain/quote/quote';
import { quoteBounds } from '#domain/quote/quote-bounds';
import { createQuoteBody, replaceLinesBody } from '#plumbing/http/quote-schemas';
import { ctx, quoteBody, seller } from './cpq-fixtures.ts';

/** Mixed offerings of the demo catalog, as an enterprise quote has them (each add-on has its fiber). */
const mixedLines = (n: number): LineInput[] =>
  Array.from(
    { length: n },
    (_, i): LineInput =>
      (
        [
          { offeringId: 'off-fiber-1g', quantity: 1, options: { term: 24 } },
          { offeringId: 'off-sdwan', quantity: 1, options: { sites: 3 } },
          { offeringId: 'off-security', quantity: 1, options: {} },
          { offeringId: 'off-static-ip', quantity: 1, options: { size: 8 } },
        ] as LineInput[]
      )[i % 4]!,
  );

const release = demoCatalogRelease;
const created = (n: number) =>
  createQuote(quoteBody(mixedLines(n)), { ...ctx(seller), quoteId: 'q-1', catalog: release }).quote;
const priced = (q: Quote) => priceQuote(q, { ...ctx(seller), catalog: release }).quote;
const accepted = (n: number) => {
  const submitted = submitQuote(priced(created(n)), {
    ...ctx(seller),
    catalog: release,
    approvalRequestId: 'apr-1',
  }).quote;
  return acceptQuote(submitted, { ...ctx(seller), catalog: release, evidenceId: 'ev-1' }).quote;
};

const roundTrip = (quote: Quote) => {
  const layout = quoteLayoutOf(quote);
  // Pages come back from a batch read in any order.
  return assembleQuote(layout.header, layout.attributes, [...layout.pages].reverse());
};

describe('quote pages', () => {
  it('chunking keeps every element once, in order, in slices no larger than the page', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 1200 }),
        fc.integer({ min: 1, max: 400 }),
        (list, size) => {
          const slices = chunk(list, size);
          expect(slices.flat()).toEqual(list);
          expect(slices.every((s) => s.length > 0 && s.length <= size)).toBe(true);
          expect(slices.length).toBe(Math.ceil(list.length / size));
        },
      ),
    );
  });

  it('any quote up to the line bound assembles from its header and pages to the same quote', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: quoteBounds.maxLines }), fc.boolean(), (n, price) => {
        const quote = price ? priced(created(n)) : created(n);
        expect(roundTrip(quote)).toEqual(quote);
        const layout = quoteLayoutOf(quote);
        expect(quotePageKeys(layout.attributes)).toEqual(layout.pages.map((p) => p.sk));
        if (n <= quotePageLayout.inlineLines) expect(layout.pages).toEqual([]);
        else expect(layout.header.lines).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('an accepted 500-line quote is pages of at most ~60 KB within one transaction of 100 actions', () => {
    const quote = accepted(quoteBounds.maxLines);
    expect(storedBytes(quote)).toBeGreaterThan(400 * 1024);
    const layout = quoteLayoutOf(quote);
    const sizes = [storedBytes(layout.header), ...layout.pages.map((p) => storedBytes(p.entries))];
    expect(Math.max(...sizes)).toBeLessThan(64 * 1024);
    // Header, every page and the events of the largest write (a creation or a re-price).
    expect(1 + layout.pages.length + 2).toBeLessThanOrEqual(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(4 * 1024 * 1024);
  });

  it('pricing rewrites only the price pages; submit and accept rewrite none', () => {
    const draft = created(quoteBounds.maxLines);
    const afterPrice = priced(draft);
    const changed = changedQuotePages(quoteLayoutOf(afterPrice), quoteLayoutOf(draft)).map((p) => p.sk);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((sk) => !sk.startsWith('PAGE#L#'))).toBe(true);
    const submitted = submitQuote(afterPrice, {
      ...ctx(seller),
      catalog: release,
      approvalRequestId: 'a',
    }).quote;
    expect(changedQuotePages(quoteLayoutOf(submitted), quoteLayoutOf(afterPrice))).toEqual([]);
    const done = acceptQuote(submitted, { ...ctx(seller), catalog: release, evidenceId: 'e' }).quote;
    expect(changedQuotePages(quoteLayoutOf(done), quoteLayoutOf(submitted))).toEqual([]);
  });

  it('a header names exactly its pages: a quote that shrank never reads pages left from its longer past', () => {
    const long = quoteLayoutOf(priced(created(450)));
    const short = quoteLayoutOf(priced(created(150)));
    expect(quotePageKeys(short.attributes)).toEqual(short.pages.map((p) => p.sk));
    expect(quotePageKeys(short.attributes).length).toBeLessThan(quotePageKeys(long.attributes).length);
    // A missing page is an error, never a quote with lines silently dropped.
    expect(() => assembleQuote(short.header, short.attributes, short.pages.slice(1))).toThrow(/missing/);
  });

  it('a request of up to 500 lines is well formed; one more is refused naming the field', () => {
    const body = (n: number) => ({
      ...quoteBody(mixedLines(n)),
      customer: { accountId: 'acct-1', name: 'Acme' },
    });
    expect(createQuoteBody().safeParse(body(quoteBounds.maxLines)).success).toBe(true);
    const refused = createQuoteBody().safeParse(body(quoteBounds.maxLines + 1));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path.join('.'))).toEqual(['lines']);
    expect(replaceLinesBody().safeParse({ lines: mixedLines(quoteBounds.maxLines + 1) }).success).toBe(false);
  });

  it('every event of a 500-line quote, from creation to acceptance, fits one EventBridge entry (256 KB)', () => {
    const context = { ...ctx(seller), catalog: release };
    const create = createQuote(quoteBody(mixedLines(quoteBounds.maxLines)), { ...context, quoteId: 'q-1' });
    const price = priceQuote(create.quote, context);
    const submit = submitQuote(price.quote, { ...context, approvalRequestId: 'apr-1' });
    const accept = acceptQuote(submit.quote, { ...context, evidenceId: 'ev-1' });
    const events = [...create.events, ...price.events, ...submit.events, ...accept.events];
    expect(events.map((e) => e.eventType)).toContain('QuoteAcceptedEvent');
    for (const event of events)
      expect(storedBytes(event), event.eventType).toBeLessThan(putEventsMaxBytes - 2 * 1024);
  });
});
