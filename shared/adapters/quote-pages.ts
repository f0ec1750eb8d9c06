import type { ExtraItem } from '#adapters/aggregate-store';
import type { CalculationStep, LineWaterfall } from '#domain/quote/pricing';
import type { Quote, QuoteLine } from '#domain/quote/quote-types';

/**
 * How a large quote is laid out in the aggregates table, as a large order is (order-pages.ts). A
 * quote of up to `inlineLines` lines is one item, as it always was. A larger one keeps its header
 * (customer, state, approval, acceptance, the snapshot's totals) in the aggregate item and its
 * per-line arrays in page items beside it: configured lines, the snapshot's price lines and its
 * calculation trace. A priced 500-line quote is ≈ 560 KB, over DynamoDB's 400 KB per item; paged,
 * no item is above ≈ 60 KB, and a save writes the header with the pages that changed, in the one
 * version-checked transaction (16 pages at 500 lines, far inside the 100 actions).
 */
export const quotePageLayout = {
  /** Up to this many lines a quote is stored whole in its aggregate item. */
  inlineLines: 100,
  /** Configured lines (≈ 570 bytes each with their configuration trace). */
  linesPerPage: 100,
  /** Price lines of the snapshot (≈ 270 bytes each). */
  pricesPerPage: 100,
  /** Calculation steps of the snapshot (three per line, ≈ 90 bytes each). */
  stepsPerPage: 300,
} as const;

export const quotePageKind = { lines: 'L', prices: 'P', steps: 'R' } as const;
type Kind = (typeof quotePageKind)[keyof typeof quotePageKind];

export type QuotePageCounts = { linePages: number; pricePages: number; stepPages: number };
export type QuotePage = { sk: string; entries: unknown[] };

const pad = (n: number) => String(n).padStart(4, '0');
export const quotePageSk = (kind: Kind, index: number) => `PAGE#${kind}#${pad(index)}`;

/** Consecutive slices of `size` (the last may be shorter); none for an empty list. */
export const chunk = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

export type QuoteLayout = {
  /** What the aggregate item's `data` holds. */
  header: Quote;
  /** Page counts, as attributes of the aggregate item: the loader reads exactly these pages. */
  attributes: QuotePageCounts;
  pages: QuotePage[];
};

export const isPagedQuote = (quote: Pick<Quote, 'lines'>): boolean =>
  quote.lines.length > quotePageLayout.inlineLines;

export const quoteLayoutOf = (quote: Quote): QuoteLayout => {
  if (!isPagedQuote(quote))
    return { header: quote, attributes: { linePages: 0, pricePages: 0, stepPages: 0 }, pages: [] };
  const snapshot = quote.priceSnapshot;
  const lines = chunk(quote.lines, quotePageLayout.linesPerPage);
  const prices = chunk(snapshot?.lines ?? [], quotePageLayout.pricesPerPage);
  const steps = chunk(snapshot?.trace ?? [], quotePageLayout.stepsPerPage);
  const pagesOf = (kind: Kind, slices: unknown[][]) =>
    slices.map((entries, i) => ({ sk: quotePageSk(kind, i), entries }));
  return {
    header: {
      ...quote,
      lines: [],
      ...(snapshot ? { priceSnapshot: { ...snapshot, lines: [], trace: [] } } : {}),
    },
    attributes: { linePages: lines.length, pricePages: prices.length, stepPages: steps.length },
    pages: [
      ...pagesOf(quotePageKind.lines, lines),
      ...pagesOf(quotePageKind.prices, prices),
      ...pagesOf(quotePageKind.steps, steps),
    ],
  };
};

/** The page counts an aggregate item names (0 for a quote stored whole). */
export const quotePageCounts = (item: Record<string, unknown>): QuotePageCounts => ({
  linePages: Number(item.linePages ?? 0),
  pricePages: Number(item.pricePages ?? 0),
  stepPages: Number(item.stepPages ?? 0),
});

/** The sort keys of exactly the pages a header names: pages left over from a longer past are never read. */
export const quotePageKeys = (counts: QuotePageCounts): string[] => [
  ...Array.from({ length: counts.linePages }, (_, i) => quotePageSk(quotePageKind.lines, i)),
  ...Array.from({ length: counts.pricePages }, (_, i) => quotePageSk(quotePageKind.prices, i)),
  ...Array.from({ length: counts.stepPages }, (_, i) => quotePageSk(quotePageKind.steps, i)),
];

/** The pages a save writes: those whose content differs from the quote as it was loaded. */
export const changedQuotePages = (after: QuoteLayout, before: QuoteLayout | undefined): QuotePage[] => {
  if (!before) return after.pages;
  const previous = new Map(before.pages.map((p) => [p.sk, JSON.stringify(p.entries)]));
  return after.pages.filter((p) => previous.get(p.sk) !== JSON.stringify(p.entries));
};

export const quotePageItems = (quotePk: string, pages: readonly QuotePage[], now: string): ExtraItem[] =>
  pages.map((page) => ({
    item: { pk: quotePk, sk: page.sk, itemType: 'quotePage', updatedAt: now, entries: page.entries },
  }));

/** The quote from its header and its pages (any order); a header without pages is the quote. */
export const assembleQuote = (header: Quote, counts: QuotePageCounts, pages: readonly QuotePage[]): Quote => {
  if (counts.linePages + counts.pricePages + counts.stepPages === 0) return header;
  const bySk = new Map(pages.map((p) => [p.sk, p.entries]));
  const of = (kind: Kind, count: number) =>
    Array.from({ length: count }, (_, i) => {
      const entries = bySk.get(quotePageSk(kind, i));
      // A missing page would silently drop lines: a quote is read whole or not at all.
      if (!entries) throw new Error(`quote ${header.id}: page ${quotePageSk(kind, i)} missing`);
      return entries;
    }).flat();
  const snapshot = header.priceSnapshot;
  return {
    ...header,
    lines: of(quotePageKind.lines, counts.linePages) as QuoteLine[],
    ...(snapshot
      ? {
          priceSnapshot: {
            ...snapshot,
            lines: of(quotePageKind.prices, counts.pricePages) as LineWaterfall[],
            trace: of(quotePageKind.steps, counts.stepPages) as CalculationStep[],
          },
        }
      : {}),
  };
};
