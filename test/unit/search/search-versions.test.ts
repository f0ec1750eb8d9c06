import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SearchDoc } from '#domain/search/search-index';
import {
  freshSearchPointer,
  initialSearchPointer,
  rollBackSearch,
  type SearchPointer,
  schemaOfVersion,
  searchDocProblem,
  searchKeyPrefix,
  searchWriteTargets,
  searchWriteVersions,
  startSearchBuild,
  switchSearch,
} from '#domain/search/search-versions';

const arbPointer: fc.Arbitrary<SearchPointer> = fc
  .record({
    active: fc.integer({ min: 1, max: 20 }),
    building: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    previous: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  })
  .map(
    (p) =>
      Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as unknown as SearchPointer,
  );

const doc = (state: string, extra: Record<string, unknown> = {}) =>
  ({
    documentType: 'quote',
    quoteId: 'q1',
    state,
    cursor: 'c1',
    freshness: { sourceVersion: 2, projectedAt: 'a', lagMs: 1 },
    ...extra,
  }) as unknown as SearchDoc;

describe('search index versions (requirements 003 §22.1)', () => {
  it('keeps version 1 on the unprefixed keys the index had before versions', () => {
    expect(searchKeyPrefix(1)).toBe('');
    expect(searchKeyPrefix(2)).toBe('v2#');
  });

  it('reads a table without a pointer as schema 1, and starts a new table on the schema given', () => {
    expect(schemaOfVersion(initialSearchPointer, 1)).toBe(1);
    const fresh = freshSearchPointer(2);
    expect(fresh.active).toBe(1);
    expect(searchWriteTargets(fresh)).toEqual([{ version: 1, schema: 2 }]);
  });

  it('writes each version in the schema it was built with: a rollback target keeps its layout', () => {
    const built = switchSearch(startSearchBuild(initialSearchPointer, 2), 'now');
    expect(searchWriteTargets(built)).toEqual([
      { version: 2, schema: 2 },
      { version: 1, schema: 1 },
    ]);
    expect(searchWriteTargets(rollBackSearch(built, 'later'))).toEqual([
      { version: 1, schema: 1 },
      { version: 2, schema: 2 },
    ]);
  });

  it('builds a version no pointer field names yet, and writes live changes to it, the active and the previous', () => {
    fc.assert(
      fc.property(arbPointer, (p) => {
        const b = startSearchBuild(p, 3);
        expect([p.active, p.building, p.previous]).not.toContain(b.building);
        expect(b.schemas?.[String(b.building)]).toBe(3);
        expect(searchWriteVersions(b)).toEqual(expect.arrayContaining([p.active, b.building!]));
        const switched = switchSearch(b, 'now');
        expect(switched).toMatchObject({ active: b.building, previous: p.active });
        expect(switched.building).toBeUndefined();
        expect(searchWriteVersions(switched).sort()).toEqual([p.active, b.building!].sort());
      }),
    );
  });

  it('a rollback trades active and previous: twice is a roll forward; without a previous it is refused', () => {
    fc.assert(
      fc.property(
        arbPointer.filter((p) => p.previous !== undefined),
        (p) => {
          const once = rollBackSearch(p, 't');
          expect(once).toMatchObject({ active: p.previous, previous: p.active });
          expect(rollBackSearch(once, 't')).toMatchObject({ active: p.active, previous: p.previous });
        },
      ),
    );
    expect(() => rollBackSearch({ active: 1 }, 't')).toThrow(/no previous version/);
  });

  it('finds a document missing, behind, in another state or with other content; ignores freshness and newer ones', () => {
    const source = { version: 2, state: 'pending' };
    expect(searchDocProblem(undefined, source, doc('pending'))).toBe('MISSING');
    expect(searchDocProblem({ version: 1, doc: doc('pending') }, source, doc('pending'))).toBe('BEHIND');
    expect(searchDocProblem({ version: 2, doc: doc('approved') }, source, doc('pending'))).toBe('STATE');
    expect(
      searchDocProblem({ version: 2, doc: doc('pending', { quoteNumber: 'Q-9' }) }, source, doc('pending')),
    ).toBe('CHECKSUM');
    const other = doc('pending', {
      cursor: 'c9',
      freshness: { sourceVersion: 2, projectedAt: 'b', lagMs: 9 },
    });
    expect(searchDocProblem({ version: 2, doc: other }, source, doc('pending'))).toBeUndefined();
    expect(searchDocProblem({ version: 3, doc: doc('accepted') }, source, doc('pending'))).toBeUndefined();
  });
});
