import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { cliSynthResultFile, projectRoot } from './cloud-assembly.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    cloudAssemblyDir: string;
  }
}

/**
 * `cdk synth` once per run for the infra files that read its cloud assembly. Started here and not
 * awaited: the run's other files go on meanwhile, and a reader waits for the result file.
 */
export default function setup(project: TestProject) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cpq-oms-cli-synth-'));
  // The CLI exactly as `cdk deploy` starts it (cdk.json app, bundling, validation plugins).
  const child = spawn(
    path.join(projectRoot, 'node_modules/.bin/cdk'),
    ['synth', '--quiet', '--no-notices', '--output', outdir],
    {
      cwd: projectRoot,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: the CLI runs the app as a child, and teardown may stop both.
      detached: true,
    },
  );
  let output = '';
  child.stdout.on('data', (d) => {
    output += String(d);
  });
  child.stderr.on('data', (d) => {
    output += String(d);
  });
  const exited = new Promise<void>((resolve) => {
    child.on('close', (status) => {
      // Whole or not at all: a reader polls for the file.
      writeFileSync(`${cliSynthResultFile(outdir)}.part`, JSON.stringify({ status, output }));
      renameSync(`${cliSynthResultFile(outdir)}.part`, cliSynthResultFile(outdir));
      resolve();
    });
  });
  project.provide('cloudAssemblyDir', outdir);
  return async () => {
    // A run of files that never read the assembly does not wait for it.
    try {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await exited;
    rmSync(outdir, { recursive: true, force: true });
    rmSync(cliSynthResultFile(outdir), { force: true });
  };
}
