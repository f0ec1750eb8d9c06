import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliSynth, cliSynth } from '../support/cloud-assembly.ts';

type Manifest = {
  artifacts: Record<string, { type: string; metadata?: Record<string, { type: string; data: unknown }[]> }>;
};

// The CLI exactly as `cdk deploy` starts it (cdk.json app, bundling, validation plugins), run once
// for the infra files by test/support/cloud-assembly-global-setup.ts.
let run: CliSynth;

beforeAll(async () => {
  run = await cliSynth();
});

describe('cdk synth (the CLI, with the validations cdk deploy runs)', () => {
  it('exits 0', () => {
    expect({ status: run.status, output: run.status === 0 ? '' : run.output }).toEqual({
      status: 0,
      output: '',
    });
  });

  it('leaves no error annotation on any construct', () => {
    const manifest: Manifest = JSON.parse(readFileSync(path.join(run.outdir, 'manifest.json'), 'utf8'));
    const errors = Object.values(manifest.artifacts).flatMap((artifact) =>
      Object.entries(artifact.metadata ?? {}).flatMap(([at, entries]) =>
        entries.filter((entry) => entry.type === 'aws:cdk:error').map((entry) => ({ at, error: entry.data })),
      ),
    );
    expect(errors).toEqual([]);
  });
});
