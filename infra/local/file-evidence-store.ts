import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EvidenceStore } from '#ports/evidence-store';

/** IAM of the bucket locally: (action, object key) → rejects as S3 does; set by the local stack. */
export type ObjectAuthorizer = (
  action: 's3:GetObject' | 's3:PutObject' | 's3:ListBucket',
  key: string,
) => Promise<void>;
let authorize: ObjectAuthorizer = async () => undefined;
export const authorizeObjectsWith = (authorizer: ObjectAuthorizer): void => {
  authorize = authorizer;
};

/** The local stand-in for the Object Lock bucket: files created exclusively and read-only. */
export const createEvidenceStore = (dir: string): EvidenceStore => {
  const read: EvidenceStore['read'] = async (key) => {
    await authorize('s3:GetObject', key);
    try {
      return { location: `file://${join(dir, key)}`, body: await readFile(join(dir, key), 'utf8') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // S3 answers a missing key with 404 only to a caller that may list the bucket, else 403.
      await authorize('s3:ListBucket', key);
      return undefined;
    }
  };
  return {
    read,
    seal: async (key, body) => {
      await authorize('s3:PutObject', key);
      const path = join(dir, key);
      await mkdir(dirname(path), { recursive: true });
      try {
        await writeFile(path, body, { flag: 'wx', mode: 0o444 });
        return { location: `file://${path}`, body, sealedNow: true };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        return { ...(await read(key))!, sealedNow: false };
      }
    },
  };
};
