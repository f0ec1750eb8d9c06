import { pathToFileURL } from 'node:url';
import type { EvidenceStore } from '#ports/evidence-store';
import { resourceEnv } from '#topology';
import { s3EvidenceStore } from './s3-evidence-store.ts';

let store: Promise<EvidenceStore> | undefined;

/** S3 in AWS; the local stack names a file store module and folder (kept out of the bundle). */
export const evidenceStore = (): Promise<EvidenceStore> => {
  store ??= (async () => {
    const local = process.env[resourceEnv.evidence.localStore];
    if (!local) return s3EvidenceStore(process.env[resourceEnv.evidence.bucket] ?? '');
    const mod = (await import(pathToFileURL(local).href)) as {
      createEvidenceStore: (dir: string) => EvidenceStore;
    };
    return mod.createEvidenceStore(process.env[resourceEnv.evidence.localDir] ?? '');
  })();
  return store;
};
