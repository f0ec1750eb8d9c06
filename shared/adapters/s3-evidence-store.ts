import type { EvidenceStore } from '#ports/evidence-store';
import { type S3ObjectsOptions, S3RequestError, s3Objects } from './s3-objects.ts';

/**
 * The evidence bucket: Object Lock (compliance mode, 7 years) makes every version immutable;
 * `If-None-Match: *` makes the key write-once, so the first sealed copy is the evidence.
 */
export const s3EvidenceStore = (
  bucket: string,
  options: S3ObjectsOptions = { region: process.env.AWS_REGION ?? '' },
): EvidenceStore => {
  const objects = s3Objects(bucket, options);
  const location = (key: string) => `s3://${bucket}/${key}`;
  const read: EvidenceStore['read'] = async (key) => {
    const body = await objects.get(key);
    return body === undefined ? undefined : { location: location(key), body };
  };
  return {
    read,
    seal: async (key, body) => {
      try {
        await objects.putIfAbsent(key, body, 'application/json');
        return { location: location(key), body, sealedNow: true };
      } catch (error) {
        // 412: the key is sealed already; 409: another seal of it is in flight. Either way the
        // stored copy (once there) is the evidence.
        const status = error instanceof S3RequestError ? error.$metadata.httpStatusCode : 0;
        if (status !== 412 && status !== 409) throw error;
        const existing = await read(key);
        if (!existing) throw error;
        return { ...existing, sealedNow: false };
      }
    },
  };
};
