import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '#domain/reconciliation/findings';
import {
  type CheckSummary,
  keepFindings,
  mergeSummaries,
  planSegments,
  progressOf,
} from '#domain/reconciliation/segments';

const finding = (id: string) => ({ id }) as Finding;

describe('reconciliation segments', () => {
  it('a full run has one segment per shard of the kinds its checks read; a scoped run one', () => {
    const all = planSegments({
      checks: ['accepted-quote-converted', 'order-execution-started', 'projection-vs-source'],
    });
    expect(all.map((s) => s.id)).toEqual([
      ...['00', '01', '02', '03', '04', '05', '06', '07'].map((s) => `quote#${s}`),
      ...['00', '01', '02', '03', '04', '05', '06', '07'].map((s) => `order#${s}`),
    ]);
    expect(planSegments({ checks: ['fulfilled-item-billed'] }).every((s) => s.source === 'order')).toBe(true);
    expect(planSegments({ checks: ['accepted-quote-converted'] }).every((s) => s.source === 'quote')).toBe(
      true,
    );
    expect(planSegments({ checks: ['task-vs-downstream'], orderIds: ['o-1'] })).toEqual([
      { id: 'ids', source: 'ids' },
    ]);
    expect(planSegments({ checks: ['product-billed'], productIds: ['prd-1-1'] })).toEqual([
      { id: 'ids', source: 'ids' },
    ]);
  });

  it('the installed-base pairs walk orders, the product shards and the billing listing (one segment)', () => {
    expect(planSegments({ checks: ['fulfilled-item-in-inventory'] }).every((s) => s.source === 'order')).toBe(
      true,
    );
    expect(planSegments({ checks: ['product-billed'] }).map((s) => s.id)).toEqual(
      ['00', '01', '02', '03', '04', '05', '06', '07'].map((s) => `product#${s}`),
    );
    expect(planSegments({ checks: ['billed-subscription-has-product'] })).toEqual([
      { id: 'billing', source: 'billing' },
    ]);
  });

  it('merging page summaries adds counts, whatever the grouping of pages', () => {
    const summary = fc.record({
      check: fc.constantFrom('order-execution-started' as const, 'task-vs-downstream' as const),
      examined: fc.nat(50),
      findings: fc.nat(5),
      unverified: fc.nat(3),
    });
    fc.assert(
      fc.property(fc.array(fc.array(summary, { maxLength: 3 }), { maxLength: 6 }), (pages) => {
        const merged = pages.reduce<CheckSummary[]>((acc, p) => mergeSummaries(acc, p), []);
        const total = (key: 'examined' | 'findings' | 'unverified') =>
          merged.reduce((n, s) => n + (s[key] ?? 0), 0);
        const flat = pages.flat();
        expect(total('examined')).toBe(flat.reduce((n, s) => n + s.examined, 0));
        expect(total('findings')).toBe(flat.reduce((n, s) => n + s.findings, 0));
        expect(total('unverified')).toBe(flat.reduce((n, s) => n + s.unverified, 0));
        // Two halves merged equal the whole merged.
        const half = Math.floor(pages.length / 2);
        const left = pages.slice(0, half).reduce<CheckSummary[]>((acc, p) => mergeSummaries(acc, p), []);
        const right = pages.slice(half).reduce<CheckSummary[]>((acc, p) => mergeSummaries(acc, p), []);
        const both = mergeSummaries(left, right);
        expect(both.reduce((n, s) => n + s.examined, 0)).toBe(total('examined'));
      }),
    );
  });

  it('findings are kept once each up to the cap; the rest are counted', () => {
    const first = keepFindings([], ['a', 'b', 'c'].map(finding), 4);
    expect(first).toEqual({ findings: ['a', 'b', 'c'].map(finding), dropped: 0 });
    const second = keepFindings(first.findings, ['c', 'd', 'e', 'f'].map(finding), 4);
    expect(second.findings.map((f) => f.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(second.dropped).toBe(2);
  });

  it('progress counts segments, pages, aggregates and findings', () => {
    const seg = (done: boolean, pages: number, examined: number, kept: number, dropped: number) => ({
      id: 'x',
      source: 'order' as const,
      done,
      pages,
      examined,
      checks: [],
      findings: Array.from({ length: kept }, (_, i) => finding(String(i))),
      findingsDropped: dropped,
      revision: 1,
    });
    expect(progressOf([seg(true, 3, 120, 2, 1), seg(false, 1, 50, 0, 0)])).toEqual({
      segments: 2,
      segmentsDone: 1,
      pages: 4,
      aggregatesExamined: 170,
      findingsSoFar: 3,
    });
  });
});
