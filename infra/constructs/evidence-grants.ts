/** Where evidence records live in the bucket (`evidenceRecord` keys start with it). */
export const evidencePrefix = 'evidence/';

export type EvidenceAccess = 'seal' | 'read';

/**
 * What each kind of evidence access may do, for the CDK roles and for the local file store that
 * answers as S3 would for the caller's grant. The audit view lists the evidence prefix because
 * without `s3:ListBucket` S3 answers a key not sealed yet with 403 instead of 404; the writer
 * reads only keys it found sealed already (412 on its conditional put), so it needs no listing.
 */
export const evidenceGrant = (access: EvidenceAccess) => ({
  objectActions: access === 'seal' ? ['s3:PutObject', 's3:GetObject'] : ['s3:GetObject'],
  listsPrefix: access === 'read',
});
