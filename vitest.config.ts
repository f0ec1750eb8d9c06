import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import InterleavedSequencer from './test/support/interleaved-sequencer.ts';

/**
 * End-to-end files that start a local stack of their own (test/support/local-stack-process.ts)
 * touch nothing of the shared one: they run beside the unit, integration and infra files instead
 * of in the shared stack's serial queue, where most of their time (outages, restarts) is waiting.
 */
const e2eDir = path.join(import.meta.dirname, 'test/e2e');
const ownStackFiles = readdirSync(e2eDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .filter((file) => readFileSync(path.join(e2eDir, file), 'utf8').includes('startStackProcess('))
  .map((file) => `test/e2e/${file}`);

/**
 * Every DynamoDB Local of the run (the integration project's, each stack's) is a JVM that lives
 * seconds to minutes on 2 shared cores: its C2 compiler threads and G1's parallel collector cost
 * more CPU than they give back in that time. C1 only and the serial collector cut its CPU by
 * about a third (the same e2e files: 56 → 34 CPU-s); the JVMs and what they serve are unchanged.
 * Set only when the environment has no options of its own (a JVM reads this variable itself).
 */
process.env.JAVA_TOOL_OPTIONS ??= '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

export default defineConfig({
  test: {
    reporters: ['default'],
    // Files of different kinds side by side (test/support/interleaved-sequencer.ts).
    sequence: { sequencer: InterleavedSequencer },
    // Vitest's default on 2 cores is one worker; the second keeps both cores busy while a file waits.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // Property runs share two cores with a second worker (and a stack's start): a deadline, not a timing.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/dynamo-global-setup.ts'],
          setupFiles: ['test/support/dynamo-worker-tables.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ownStackFiles,
          globalSetup: ['test/support/local-stack-global-setup.ts'],
          // Simulator faults are global to a stack: each file leases a shared stack of its own for
          // its whole run (two stacks, two files at once), beside the other projects' files.
          setupFiles: ['test/support/shared-stack-lease.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
      {
        extends: true,
        test: {
          // Sorts before the other parallel projects: its long waits start first.
          name: 'e2e-own-stack',
          include: ownStackFiles,
          // Deadlines, not timing asserts: a stack starts in seconds alone, slower beside other work.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          globalSetup: ['test/support/cloud-assembly-global-setup.ts'],
          testTimeout: 180_000,
          // Readers of the run's `cdk synth` wait for it in a hook; on a busy machine it takes minutes.
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
