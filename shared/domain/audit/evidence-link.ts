import { canonicalHash, canonicalJson } from '#domain/quote/canonical-hash';

/** Requirements 003 §17: a pointer to one immutable evidence record and the hash that proves it. */
export type EvidenceLink = {
  evidenceType: string;
  businessObjectType: 'Quote' | 'ProductOrder';
  businessObjectId: string;
  businessObjectVersion: number;
  recordId: string;
  /** sha256 over the canonical JSON of the record (the bytes the evidence store holds). */
  hash: string;
  /** For records that carry their own hash (the accepted package): recomputed and compared. */
  verified?: boolean;
  storedAt: string;
  retentionPolicy: '7_YEARS';
  immutable: true;
  /** Where the record lives in the source aggregate (an append-only list, never rewritten). */
  source: string;
  /** Its write-once key in the evidence store. */
  key: string;
};

export type EvidenceRecord = { link: EvidenceLink; body: string };

export const evidenceRecord = (
  link: Omit<EvidenceLink, 'hash' | 'retentionPolicy' | 'immutable' | 'key'>,
  record: unknown,
): EvidenceRecord => ({
  link: {
    ...link,
    hash: canonicalHash(record),
    retentionPolicy: '7_YEARS',
    immutable: true,
    key: `evidence/${link.businessObjectType}/${link.businessObjectId}/${link.evidenceType}/${link.recordId}.json`,
  },
  body: canonicalJson(record),
});
