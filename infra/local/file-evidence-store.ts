import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EvidenceStore } from '#ports/evidence-store';
import { type FunctionSpec, functions } from '#topology';
import { evidenceGrant } from '../constructs/evidence-grants.ts';
import { invocationScope } from './iam-leading-keys.ts';

/** S3's answer to a GET of a missing key for a caller who may not list the bucket. */
const accessDenied = () =>
  Object.assign(new Error('Access Denied'), {
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
    $fault: 'client',
  });

/**
 * The local stand-in for the Object Lock bucket: files created exclusively and read-only. A key
 * not sealed yet is answered as S3 answers the calling function's grant: "none" (404) when it
 * may list the evidence prefix, 403 when it may not.
 */
export const createEvidenceStore = (dir: string): EvidenceStore => {
  const read: EvidenceStore['read'] = async (key) => {
    try {
      return { location: `file://${join(dir, key)}`, body: await readFile(join(dir, key), 'utf8') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const caller = invocationScope.getStore();
      const access = caller ? (functions[caller] as FunctionSpec).evidence : undefined;
      if (caller && !(access && evidenceGrant(access).listsPrefix)) throw accessDenied();
      return undefined;
    }
  };
  return {
    read,
    seal: async (key, body) => {
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
