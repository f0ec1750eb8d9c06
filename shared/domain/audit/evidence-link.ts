import { canonicalHash } from '#domain/quote/canonical-hash';

/** Seed 003 §17: a pointer to one immutable evidence record and the hash that proves it. */
export type EvidenceLink = {
  evidenceType: string;
  businessObjectType: 'Quote' | 'ProductOrder';
  businessObjectId: string;
  businessObjectVersion: number;
  recordId: string;
  /** sha256 over the canonical JSON of the record as returned in this view. */
  hash: string;
  /** For records that carry their own hash (the accepted package): recomputed and compared. */
  verified?: boolean;
  storedAt: string;
  retentionPolicy: '7_YEARS';
  immutable: true;
  /** Where the record lives: an append-only list of the source aggregate (never rewritten). */
  location: string;
};

export const evidenceLink = (
  link: Omit<EvidenceLink, 'hash' | 'retentionPolicy' | 'immutable'>,
  record: unknown,
): EvidenceLink => ({ ...link, hash: canonicalHash(record), retentionPolicy: '7_YEARS', immutable: true });
