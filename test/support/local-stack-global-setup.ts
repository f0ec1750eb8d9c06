import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { iamPoliciesMarkerEnv } from './iam-policies-warm.ts';
import { type StackProcess, startStackProcess } from './local-stack-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Port of the shared stacks' lender on 127.0.0.1 (test/support/shared-stack-lease.ts). */
    sharedStacks: number;
  }
}

/**
 * Shared local stacks for the end-to-end project; tests are their clients over HTTP. Their usage
 * plans are raised (throttle scale) because every file shares the five channels; the throttling
 * test runs its own stack with the deployed limits.
 */
const stackArgs = ['--time-scale', '0.02', '--downstream-timeout-ms', '800', '--throttle-scale', '1000'];

/**
 * Simulator and dependency faults are global to a stack, so a file has a stack to itself for its
 * whole run: it leases one (a TCP connection to the lender here, held until its last hook; a
 * worker that dies closes it too) and no other file runs on that stack meanwhile. Two stacks let
 * two files run at once, each alone on its stack, beside the other projects' files.
 */
const maxStacks = Math.max(1, Number(process.env.CPQ_OMS_E2E_STACKS ?? 2));

/**
 * Nothing here is awaited: the run's other files start at once while the first stack starts (on a
 * fresh clone it synthesizes the CDK app for its IAM policies first, and caches them), and a file
 * that needs a stack waits for its lease. The second stack starts when a second file asks for one,
 * once the first is up (its policies cached: no second synthesis).
 */
export default async function setup(project: TestProject) {
  const stacks: StackProcess[] = [];
  const free: string[] = [];
  const waiting: Socket[] = [];
  const starts: Promise<void>[] = [];
  let starting = 0;
  let failure: unknown;

  // Other stacks of this run (own-stack e2e files, an integration test) wait for the policies the
  // first one caches instead of synthesizing the app beside it (test/support/iam-policies-warm.ts).
  const marker = path.join(tmpdir(), `cpq-oms-iam-warm-${process.pid}-${Date.now()}`);
  process.env[iamPoliciesMarkerEnv] = marker;

  const startOne = () => {
    starting++;
    // The first caches the run's IAM policies; a second starts once the first is up (cached).
    const started = startStackProcess(stackArgs, 240_000, { cachesIamPolicies: true }).then(
      (stack) => {
        stacks.push(stack);
        free.push(stack.url);
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    starts.push(
      started.finally(() => {
        starting--;
        writeFileSync(marker, '');
        lend();
      }),
    );
  };

  const lend = () => {
    while (waiting.length > 0) {
      const socket = waiting[0]!;
      if (socket.destroyed) {
        waiting.shift();
        continue;
      }
      if (failure) {
        waiting.shift();
        socket.end(`${JSON.stringify({ error: String((failure as Error).stack ?? failure) })}\n`);
        continue;
      }
      const url = free.shift();
      if (!url) break;
      waiting.shift();
      socket.write(`${JSON.stringify({ url })}\n`);
      socket.once('close', () => {
        free.push(url);
        lend();
      });
    }
    if (waiting.length > 0 && !failure && starting === 0 && stacks.length > 0 && stacks.length < maxStacks)
      startOne();
  };

  const lender = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    waiting.push(socket);
    lend();
  });
  await new Promise<void>((resolve) => lender.listen(0, '127.0.0.1', resolve));
  const address = lender.address();
  project.provide('sharedStacks', typeof address === 'object' && address ? address.port : 0);
  startOne();

  return async () => {
    await Promise.all(starts);
    lender.close();
    rmSync(marker, { force: true });
    // Vitest logs a teardown error without failing the run: the exit code says it.
    const problems: string[] = [];
    for (const stack of stacks) {
      // After every e2e file: no request handler may have issued a Scan or an unlimited Query.
      const res = await fetch(`${stack.url}/ops/local/full-reads`, {
        headers: { authorization: 'Bearer local-ops' },
      }).catch(() => undefined);
      const audit = res?.ok ? ((await res.json()) as { count: number; fullReads: unknown[] }) : undefined;
      // And IAM of the synthesized template refused nothing the suite's handlers did.
      const iam = await fetch(`${stack.url}/ops/local/iam-denials`, {
        headers: { authorization: 'Bearer local-ops' },
      })
        .then((r) => (r.ok ? (r.json() as Promise<{ count: number; denials: unknown[] }>) : undefined))
        .catch(() => undefined);
      await stack.stop();
      if (!audit) problems.push(`The local stack ${stack.url} did not answer GET /ops/local/full-reads`);
      else if (audit.count > 0)
        problems.push(`Request handlers read whole tables or partitions: ${JSON.stringify(audit.fullReads)}`);
      if (!iam) problems.push(`The local stack ${stack.url} did not answer GET /ops/local/iam-denials`);
      else if (iam.count > 0)
        problems.push(`IAM denied calls of the e2e suite: ${JSON.stringify(iam.denials)}`);
    }
    if (failure)
      problems.push(`A shared stack did not start: ${String((failure as Error).stack ?? failure)}`);
    if (problems.length > 0) {
      process.exitCode = 1;
      throw new Error(problems.join('\n'));
    }
  };
}
