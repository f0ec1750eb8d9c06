/**
 * Handler bundles as Lambda loads them: every topology function and the anchor, built with the
 * CDK functions' esbuild options, then init measured in fresh Node processes (module load and
 * top-level code, as in Lambda's init phase) in rounds that pair every handler with the anchor
 * run just before and after it; medians of those paired ratios.
 *
 * Each init is measured twice over: wall time, and the CPU time the process spent on it (user +
 * system, all threads). On a machine shared with other work the wall time mostly measures the
 * scheduler (a process waiting for a core), while Lambda runs an init on its own vCPU: the CPU
 * ratio is the one that compares init work. A second build of the anchor is measured as if it
 * were a handler (`control`): its ratios are the run's noise floor (1.0 when measuring is exact).
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
const control = 'anchor-control';

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

type Init = { wallMs: number; cpuMs: number };

/** Import time in a fresh process, the bundle's directory as the task root (as in Lambda). */
const init = async (file: string): Promise<Init> => {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const wallMs = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wallMs, cpuMs: (u.user + u.system) / 1000 }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...lambdaEnv, LAMBDA_TASK_ROOT: path.dirname(file) },
  });
  return JSON.parse(stdout) as Init;
};

export const measureBundles = async (root: string, rounds = 6) => {
  const outDir = path.join(root, 'cdk.out', 'bench-bundles');
  rmSync(outDir, { recursive: true, force: true });
  const entries: [string, { entry: string; assetsDir?: string }][] = [
    [anchor, { entry: 'bench/anchor-handler.ts' }],
    [control, { entry: 'bench/anchor-handler.ts' }],
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
  // Paired rounds: the anchor runs before and after every handler (A H1 A H2 A …), so each
  // handler is compared with the anchor under the same load, not with one measured seconds
  // earlier while other work came and went. Round 0 warms the file cache; rounds rotate the order.
  const measuredNames = entries.map(([name]) => name).filter((name) => name !== anchor);
  const anchorSamples: Init[] = [];
  const samples = new Map<string, { init: Init; ratio: Init }[]>(measuredNames.map((n) => [n, []]));
  for (let r = 0; r <= rounds; r++) {
    let previous = await init(files.get(anchor)!);
    if (r > 0) anchorSamples.push(previous);
    for (let i = 0; i < measuredNames.length; i++) {
      const name = measuredNames[(i + r) % measuredNames.length]!;
      const sample = await init(files.get(name)!);
      const next = await init(files.get(anchor)!);
      if (r > 0) {
        anchorSamples.push(next);
        samples.get(name)!.push({
          init: sample,
          ratio: {
            wallMs: sample.wallMs / ((previous.wallMs + next.wallMs) / 2),
            cpuMs: sample.cpuMs / ((previous.cpuMs + next.cpuMs) / 2),
          },
        });
      }
      previous = next;
    }
  }
  const anchorInit = {
    wall: median(anchorSamples.map((s) => s.wallMs)),
    cpu: median(anchorSamples.map((s) => s.cpuMs)),
  };
  const handlers = Object.fromEntries(
    entries.map(([name]) => {
      const bytes = statSync(files.get(name)!).size;
      const own = samples.get(name) ?? [];
      const stat = (pick: (s: { init: Init; ratio: Init }) => number, fallback: number) =>
        own.length ? median(own.map(pick)) : fallback;
      return [
        name,
        {
          kb: round(bytes / 1024),
          withinBudget: bytes <= bundleBudgetBytes,
          initMs: round(stat((s) => s.init.wallMs, anchorInit.wall)),
          initRatio: round(
            stat((s) => s.ratio.wallMs, 1),
            2,
          ),
          initCpuMs: round(stat((s) => s.init.cpuMs, anchorInit.cpu)),
          initCpuRatio: round(
            stat((s) => s.ratio.cpuMs, 1),
            2,
          ),
        },
      ];
    }),
  );
  const measured = Object.entries(handlers).filter(([name]) => name !== anchor && name !== control);
  const ratios = measured.map(([, h]) => h.initRatio);
  const cpuRatios = measured.map(([, h]) => h.initCpuRatio);
  return {
    options: 'infra/bundling.ts (the CDK functions’ esbuild options; AWS SDK from the runtime)',
    budgetKb: bundleBudgetBytes / 1024,
    rounds,
    anchorInitMs: round(anchorInit.wall),
    anchorInitCpuMs: round(anchorInit.cpu),
    largestKb: Math.max(...Object.values(handlers).map((h) => h.kb)),
    maxInitRatio: Math.max(...ratios),
    medianInitRatio: round(median(ratios), 2),
    maxInitCpuRatio: Math.max(...cpuRatios),
    medianInitCpuRatio: round(median(cpuRatios), 2),
    noiseFloor: { initRatio: handlers[control]!.initRatio, initCpuRatio: handlers[control]!.initCpuRatio },
    handlers,
  };
};
