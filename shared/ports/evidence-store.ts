/**
 * Write-once storage of audit evidence records (S3 with Object Lock in AWS, read-only files on
 * the local stack). A record, once sealed, is never replaced: sealing again keeps the first copy.
 */
export type Sealed = { location: string; body: string };
export type EvidenceStore = {
  /** Stores `body` under `key` unless something is there already; returns what is stored. */
  seal: (key: string, body: string) => Promise<Sealed & { sealedNow: boolean }>;
  read: (key: string) => Promise<Sealed | undefined>;
};
