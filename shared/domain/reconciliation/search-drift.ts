import type { FindingDraft } from './findings.ts';

/** A quote or an order as its aggregate says, and as its search document says (if it has one). */
export type SearchComparison = {
  type: 'quote' | 'order';
  id: string;
  source: { version: number; state: string };
  indexed?: { version: number; state: string };
};

/**
 * Search index → source (requirements 003 §11.4): every quote at its latest revision and every
 * order at its current state. A document behind its aggregate, or missing, is drift; re-indexing
 * it from the aggregate is declared safe (a search document is derived data).
 */
export const searchIndexDrift = (c: SearchComparison): FindingDraft | undefined => {
  const { indexed, source } = c;
  if (indexed && indexed.version >= source.version && indexed.state === source.state) return undefined;
  const what = !indexed
    ? 'no search document'
    : `search document at version ${indexed.version} (${indexed.state})`;
  return {
    check: 'search-vs-source',
    classification: 'SEARCH_INDEX_DRIFT',
    severity: 'LOW',
    sourceRecord: {
      system: 'aggregates',
      type: c.type === 'quote' ? 'Quote' : 'ProductOrder',
      id: c.id,
      version: source.version,
      state: source.state,
    },
    counterpartRecord: indexed
      ? {
          system: 'search',
          type: `${c.type}-document`,
          id: c.id,
          version: indexed.version,
          state: indexed.state,
        }
      : null,
    difference: `${what}; the ${c.type} is at version ${source.version} (${source.state})`,
    repairDecision: {
      mode: 'AUTO',
      action: 'Re-index the document from the aggregate',
      reason: 'A search document is derived data: rewriting it from the source of record changes no decision',
    },
  };
};
