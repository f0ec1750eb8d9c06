import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { EvidenceStore } from '#ports/evidence-store';

let client: S3Client | undefined;
const s3 = () => {
  client ??= new S3Client({});
  return client;
};

const status = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/**
 * The evidence bucket: Object Lock (compliance mode, 7 years) makes every version immutable;
 * `If-None-Match: *` makes the key write-once, so the first sealed copy is the evidence.
 */
export const s3EvidenceStore = (bucket: string): EvidenceStore => {
  const read: EvidenceStore['read'] = async (key) => {
    try {
      const res = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { location: `s3://${bucket}/${key}`, body: (await res.Body?.transformToString('utf8')) ?? '' };
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey' || status(error) === 404) return undefined;
      throw error;
    }
  };
  return {
    read,
    seal: async (key, body) => {
      try {
        await s3().send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: 'application/json',
            IfNoneMatch: '*',
            ChecksumAlgorithm: 'SHA256',
          }),
        );
        return { location: `s3://${bucket}/${key}`, body, sealedNow: true };
      } catch (error) {
        if (status(error) !== 412 && status(error) !== 409) throw error;
        const existing = await read(key);
        if (!existing) throw error;
        return { ...existing, sealedNow: false };
      }
    },
  };
};
