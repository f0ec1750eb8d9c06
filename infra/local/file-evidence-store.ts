import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EvidenceStore } from '#ports/evidence-store';

/** The local stand-in for the Object Lock bucket: files created exclusively and read-only. */
export const createEvidenceStore = (dir: string): EvidenceStore => {
  const read: EvidenceStore['read'] = async (key) => {
    try {
      return { location: `file://${join(dir, key)}`, body: await readFile(join(dir, key), 'utf8') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
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
