/**
 * The load scenario (`npm run load`): 50 channel clients run quote → order for 60 s
 * against the local stack while both downstream simulators commit late (up to 3.5 s after
 * receipt: past the 1 s dispatch timeout, inside their 5 s in-flight window), then every order
 * is awaited and the simulators' records are counted. Prints acknowledged, completed, held by
 * reason, duplicate activations and double billing; writes bench/results/load-latest.json.
 *
 * Options: --clients 50 --duration-s 60 --url <running stack> (default: starts one in process
 * with `npm start`'s defaults) --commit-late-ms 300 --commit-jitter-ms 3200 (0 and 0: no fault).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { awaitFinalStates, census, runLoad, setFaults } = await import('./load-driver.ts');

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    'duration-s': { type: 'string', default: '60' },
    url: { type: 'string' },
    'commit-late-ms': { type: 'string', default: '300' },
    'commit-jitter-ms': { type: 'string', default: '3200' },
    'settle-s': { type: 'string', default: '600' },
  },
});
const clients = Number(values.clients);
const durationMs = Number(values['duration-s']) * 1000;
const delayMs = Number(values['commit-late-ms']);
const jitterMs = Number(values['commit-jitter-ms']);

const stack = values.url
  ? undefined
  : await (await import('#local/local-stack')).startLocalStack({ port: 0, logLevel: 'ERROR' });
const baseUrl = values.url ?? stack!.url;
try {
  const fault =
    delayMs + jitterMs > 0
      ? { mode: 'commit-late', count: 100_000, delayMs, jitterMs }
      : { mode: 'none', count: 0 };
  await setFaults(baseUrl, fault);
  process.stdout.write(
    `load: ${clients} clients for ${durationMs / 1000} s against ${baseUrl}, fault ${JSON.stringify(fault)}\n`,
  );
  const run = await runLoad({ baseUrl, clients, durationMs });
  await setFaults(baseUrl, { mode: 'none', count: 0 });
  process.stdout.write(
    `acknowledged ${run.acknowledged.length} orders in ${run.elapsedMs} ms; awaiting final states\n`,
  );
  const settleStarted = Date.now();
  const states = await awaitFinalStates(baseUrl, run.acknowledged, Number(values['settle-s']) * 1000);
  const figures = await census(baseUrl, states);
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length },
    scenario: {
      clients,
      durationMs,
      fault,
      stack: values.url ? 'external' : 'in-process, npm start defaults',
    },
    failedFlows: run.failedFlows,
    settleMs: Date.now() - settleStarted,
    ...figures,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/load-latest.json', `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    [
      `acknowledged          ${figures.acknowledged}`,
      `completed             ${figures.completed}`,
      `held by reason        ${JSON.stringify(figures.heldByReason)}`,
      `not final             ${JSON.stringify(figures.notFinal)}`,
      `duplicate activations ${figures.duplicateActivations}`,
      `double billing        ${figures.doubleBilling}`,
      `held, wrong reason    ${figures.heldWithWrongReason}`,
      `no Idempotency-Key    ${figures.missingIdempotencyKey}`,
      `failed flows          ${JSON.stringify(run.failedFlows)}`,
      '',
    ].join('\n'),
  );
} finally {
  await stack?.stop();
}
