import type { TestProject } from 'vitest/node';
import { startStackProcess } from './local-stack-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * One local stack for the end-to-end project; tests are its clients over HTTP. Its usage plans
 * are raised (throttle scale) because every file shares the five channels; the throttling test
 * runs its own stack with the deployed limits.
 */
export default async function setup(project: TestProject) {
  // The first start after a change of the CDK app synthesizes it for the IAM policies (then cached).
  const stack = await startStackProcess(
    ['--time-scale', '0.02', '--downstream-timeout-ms', '800', '--throttle-scale', '1000'],
    240_000,
  );
  project.provide('baseUrl', stack.url);
  return async () => {
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
    // Vitest logs a teardown error without failing the run: the exit code says it.
    const fail = (message: string) => {
      process.exitCode = 1;
      throw new Error(message);
    };
    if (!audit) fail('The local stack did not answer GET /ops/local/full-reads');
    else if (audit.count > 0)
      fail(`Request handlers read whole tables or partitions: ${JSON.stringify(audit.fullReads)}`);
    if (!iam) fail('The local stack did not answer GET /ops/local/iam-denials');
    else if (iam.count > 0) fail(`IAM denied calls of the e2e suite: ${JSON.stringify(iam.denials)}`);
  };
}
