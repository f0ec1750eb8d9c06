import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

/** Beside the cloud assembly, not in it: written when the CLI has exited. */
export const cliSynthResultFile = (outdir: string) => `${outdir}.result.json`;

export type CliSynth = { status: number | null; output: string; outdir: string };

/** The run's `cdk synth` (test/support/cloud-assembly-global-setup.ts), once it has exited. */
export const cliSynth = async (): Promise<CliSynth> => {
  const outdir = inject('cloudAssemblyDir');
  const resultFile = cliSynthResultFile(outdir);
  while (!existsSync(resultFile)) await new Promise((r) => setTimeout(r, 250));
  return { ...(JSON.parse(readFileSync(resultFile, 'utf8')) as Omit<CliSynth, 'outdir'>), outdir };
};
