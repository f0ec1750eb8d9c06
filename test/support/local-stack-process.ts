import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iamPoliciesWarm } from './iam-policies-warm.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type StackProcess = {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

/** A start takes seconds alone; beside other stacks and busy test workers on two cores, up to a minute. */
export const stackStartTimeoutMs = 120_000;

/**
 * Starts `npm start`'s entry point as its own process. `viaNpm` runs `npm start` itself, exactly as
 * a developer types it, in its own process group (so a test can list the whole family).
 */
export const startStackProcess = async (
  args: string[] = [],
  timeoutMs = stackStartTimeoutMs,
  options: { viaNpm?: boolean; env?: Record<string, string>; cachesIamPolicies?: boolean } = {},
): Promise<StackProcess> => {
  // The stack that caches the run's policies does not wait for them (test/support/iam-policies-warm.ts).
  if (!options.cachesIamPolicies) await iamPoliciesWarm();
  const [command, argv] = options.viaNpm
    ? ['npm', ['start', '--', '--port', '0', ...args]]
    : // As `npm start` runs it: Node with tsx's loader, no tsx parent process (whose signal relay
      // gives a busy child 30 ms to answer before it SIGKILLs it and exits 130 or 143).
      [process.execPath, ['--import', 'tsx', 'infra/local/main.ts', '--port', '0', ...args]];
  const child = spawn(command, argv, {
    cwd: root,
    env: {
      ...process.env,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // npm in its own process group: a test can list (or kill) the whole family.
    detached: options.viaNpm,
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`local stack did not start:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /URL (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with ${code}:\n${out}`));
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null) return child.exitCode;
    const exited = once(child, 'exit');
    child.kill(signal);
    const [code] = (await exited) as [number | null];
    return code;
  };
  return { url, child, output: () => out, stop };
};
