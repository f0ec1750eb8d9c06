import { contentChecksum } from '#domain/projections/source-event';
import type { SearchDoc } from './search-index.ts';

/**
 * Blue/green versions of the search index (requirements 003 §22.1): a schema change is built as a
 * new version beside the active one, verified document by document, switched by moving the
 * pointer (the alias), and switched back by command. Version 1 keeps the unprefixed keys the index
 * had before versions existed, so an existing index is version 1 as it stands.
 */
export type SearchPointer = {
  active: number;
  building?: number;
  previous?: number;
  switchedAt?: string;
  /** The document schema each stored version was built with (absent: schema 1). */
  schemas?: Record<string, number>;
};

/** A table without a pointer item predates versions: version 1, schema 1. */
export const initialSearchPointer: SearchPointer = { active: 1 };

/** The pointer item's key in the search table. */
export const searchPointerKey = { pk: 'POINTER#search', sk: 'POINTER' };

/**
 * The pointer a new, empty table starts with: version 1 (unprefixed keys) in the given schema, so
 * a new table never holds the layout of schema 1 that a table without a pointer is read as.
 */
export const freshSearchPointer = (schema: number): SearchPointer => ({
  active: 1,
  schemas: { '1': schema },
});

/** The schema a stored version was built with (absent: schema 1, the layout before schemas). */
export const schemaOfVersion = (p: SearchPointer, version: number): number =>
  p.schemas?.[String(version)] ?? 1;

/** An index version to write, with the schema that decides its layout. */
export type SearchTarget = { version: number; schema: number };

/** The key prefix of a version's items: none for version 1. */
export const searchKeyPrefix = (version: number): string => (version === 1 ? '' : `v${version}#`);

/**
 * The versions a change is written to: the active one, the one being built, and the previous one,
 * kept current so a rollback switches to an index that is as fresh as the active one.
 */
export const searchWriteVersions = (p: SearchPointer): number[] => [
  ...new Set([p.active, p.building, p.previous].filter((v): v is number => v !== undefined)),
];

export const searchWriteTargets = (p: SearchPointer): SearchTarget[] =>
  searchWriteVersions(p).map((version) => ({ version, schema: schemaOfVersion(p, version) }));

/** Starts building the next version (higher than any the pointer names) with this schema. */
export const startSearchBuild = (p: SearchPointer, schemaVersion: number): SearchPointer => {
  const next = Math.max(p.active, p.building ?? 0, p.previous ?? 0) + 1;
  return { ...p, building: next, schemas: { ...p.schemas, [String(next)]: schemaVersion } };
};

/** The built version becomes active; the active one is kept as previous for rollback. */
export const switchSearch = (p: SearchPointer, now: string): SearchPointer => {
  if (p.building === undefined) throw new Error('no search index version is being built');
  const { building, ...rest } = p;
  return { ...rest, active: building, previous: p.active, switchedAt: now };
};

/** Back to the version before the last switch; the two trade places (a second rollback rolls forward). */
export const rollBackSearch = (p: SearchPointer, now: string): SearchPointer => {
  if (p.previous === undefined) throw new Error('search index: no previous version to roll back to');
  const { building: _abandoned, ...rest } = p;
  return { ...rest, active: p.previous, previous: p.active, switchedAt: now };
};

/**
 * A document's checksum over what a search returns, without how it got there (freshness, the
 * reducer's cursor): the same content built from live events or from the aggregate agrees.
 */
export const searchDocChecksum = (doc: SearchDoc): string => {
  const { freshness: _f, ...rest } = doc as SearchDoc & { cursor?: unknown };
  const { cursor: _c, ...content } = rest as Record<string, unknown>;
  return contentChecksum(content);
};

export type SearchDocProblem = 'MISSING' | 'BEHIND' | 'STATE' | 'CHECKSUM';

/**
 * How a document of a version being built compares with its aggregate: missing, behind its
 * version, in another state, or with other content than the reducers make of the aggregate.
 * A document newer than the aggregate read was moved by a live event meanwhile: not a problem.
 */
export const searchDocProblem = (
  stored: { version: number; doc: SearchDoc } | undefined,
  source: { version: number; state: string },
  expected: SearchDoc | undefined,
): SearchDocProblem | undefined => {
  if (!stored) return 'MISSING';
  if (stored.version < source.version) return 'BEHIND';
  if (stored.version > source.version) return undefined;
  if (stored.doc.state !== source.state) return 'STATE';
  if (expected && searchDocChecksum(stored.doc) !== searchDocChecksum(expected)) return 'CHECKSUM';
  return undefined;
};
