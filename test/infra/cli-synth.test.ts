import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/constructs/domain-function.ts';

type Manifest = {
  artifacts: Record<string, { type: string; metadata?: Record<string, { type: string; data: unknown }[]> }>;
};

const outdir = mkdtempSync(path.join(tmpdir(), 'cpq-oms-cli-synth-'));
let run: ReturnType<typeof spawnSync>;

beforeAll(() => {
  // The CLI exactly as `cdk deploy` starts it (cdk.json app, bundling, validation plugins).
  run = spawnSync(
    path.join(projectRoot, 'node_modules/.bin/cdk'),
    ['synth', '--quiet', '--no-notices', '--output', outdir],
    { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  );
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('cdk synth (the CLI, with the validations cdk deploy runs)', () => {
  it('exits 0', () => {
    expect({ status: run.status, output: run.status === 0 ? '' : `${run.stdout}\n${run.stderr}` }).toEqual({
      status: 0,
      output: '',
    });
  });

  it('leaves no error annotation on any construct', () => {
    const manifest: Manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const errors = Object.values(manifest.artifacts).flatMap((artifact) =>
      Object.entries(artifact.metadata ?? {}).flatMap(([at, entries]) =>
        entries.filter((entry) => entry.type === 'aws:cdk:error').map((entry) => ({ at, error: entry.data })),
      ),
    );
    expect(errors).toEqual([]);
  });
});
