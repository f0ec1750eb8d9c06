/**
 * Handler bundles as Lambda loads them: every topology function and the anchor, built with the
 * CDK functions' esbuild options, then init measured in fresh Node processes (module load and
 * top-level code, as in Lambda's init phase) in interleaved rounds; medians and ratios.
 */
import { execFile } from 'node:child_process';
import { cpSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { bundleBudgetBytes, esbuildOptions } from '#infra/bundling';
import { functions, resourceEnv } from '#topology';
import { median, round } from './stats.ts';

const run = promisify(execFile);
const anchor = 'anchor';

/** What Lambda would set, so top-level code runs as it does in the cloud. */
const lambdaEnv = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_SERVICE_NAME: 'cpq-oms',
  POWERTOOLS_METRICS_NAMESPACE: 'CpqOms',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  AUTH_MODE: 'jwt',
  JWT_ISSUER: 'https://issuer.example',
  JWKS_URI: 'https://issuer.example/jwks.json',
  JWT_AUDIENCE: 'cpq-oms',
  ...Object.fromEntries(Object.values(resourceEnv.tables).map((v) => [v, v.toLowerCase()])),
  [resourceEnv.eventBus]: 'bus',
  [resourceEnv.stateMachines.fulfillment]: 'arn:aws:states:us-east-1:000000000000:stateMachine:f',
  [resourceEnv.downstream.provisioning]: 'http://127.0.0.1:9/p',
  [resourceEnv.downstream.billing]: 'http://127.0.0.1:9/b',
};

/** Import time in a fresh process, the bundle's directory as the task root (as in Lambda). */
const initMs = async (file: string): Promise<number> => {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...lambdaEnv, LAMBDA_TASK_ROOT: path.dirname(file) },
  });
  return Number(stdout);
};

export const measureBundles = async (root: string, rounds = 6) => {
  const outDir = path.join(root, 'cdk.out', 'bench-bundles');
  rmSync(outDir, { recursive: true, force: true });
  const entries: [string, { entry: string; assetsDir?: string }][] = [
    [anchor, { entry: 'bench/anchor-handler.ts' }],
    ...Object.entries(functions as Record<string, { entry: string; assetsDir?: string }>),
  ];
  const files = new Map<string, string>();
  for (const [name, spec] of entries) {
    const outfile = path.join(outDir, name, 'index.mjs');
    await build(esbuildOptions(path.join(root, spec.entry), outfile));
    // Static files ship beside the bundle, as the CDK function's afterBundling hook copies them.
    if (spec.assetsDir)
      cpSync(path.join(root, spec.assetsDir), path.join(outDir, name, spec.assetsDir), { recursive: true });
    files.set(name, outfile);
  }
  // Round 0 warms the file cache; later rounds rotate the order so no handler always goes first.
  const samples = new Map<string, number[]>(entries.map(([name]) => [name, []]));
  for (let r = 0; r <= rounds; r++) {
    for (let i = 0; i < entries.length; i++) {
      const [name] = entries[(i + r) % entries.length]!;
      const ms = await initMs(files.get(name)!);
      if (r > 0) samples.get(name)!.push(ms);
    }
  }
  const anchorInit = median(samples.get(anchor)!);
  const handlers = Object.fromEntries(
    entries.map(([name]) => {
      const bytes = statSync(files.get(name)!).size;
      const init = median(samples.get(name)!);
      return [
        name,
        {
          kb: round(bytes / 1024),
          withinBudget: bytes <= bundleBudgetBytes,
          initMs: round(init),
          initRatio: round(init / anchorInit, 2),
        },
      ];
    }),
  );
  const ratios = Object.entries(handlers)
    .filter(([name]) => name !== anchor)
    .map(([, h]) => h.initRatio);
  return {
    options: 'infra/bundling.ts (the CDK functions’ esbuild options; AWS SDK from the runtime)',
    budgetKb: bundleBudgetBytes / 1024,
    rounds,
    anchorInitMs: round(anchorInit),
    largestKb: Math.max(...Object.values(handlers).map((h) => h.kb)),
    maxInitRatio: Math.max(...ratios),
    medianInitRatio: round(median(ratios), 2),
    handlers,
  };
};
