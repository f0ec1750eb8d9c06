/**
 * `npm run bench:sizes`: only the order-size table of `npm run bench` (orders of 1 to 500 items),
 * written to bench/results/order-sizes-latest.json. `BENCH_SIZES=1,10` picks other sizes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { client } from './journey.ts';
import { orderSizes, orderSizeTable } from './order-sizes.ts';
import { instrumentStack } from './probes.ts';
import { round } from './stats.ts';

process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { startLocalStack } = await import('#local/local-stack');

const root = path.resolve(import.meta.dirname, '..');
const sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : [...orderSizes];
const log = (msg: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const stack = await startLocalStack({
  port: 0,
  logLevel: 'ERROR',
  scheduleIntervalMs: 24 * 3600_000,
  billTransactions: true,
});
try {
  const probes = instrumentStack(stack);
  const table = await orderSizeTable(
    stack,
    client(stack.url),
    stack.components.dynamoRequests,
    probes,
    sizes,
    log,
  );
  const result = {
    measuredAt: new Date().toISOString(),
    command: 'npm run bench:sizes',
    machine: { cpus: cpus().length, node: process.version, loadAverage1m: round(loadavg()[0] ?? 0, 2) },
    orderSizes: table,
  };
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  const text = `${JSON.stringify(result, null, 2)}\n`;
  writeFileSync(path.join(root, 'bench/results/order-sizes-latest.json'), text);
  process.stdout.write(text);
} finally {
  await stack.stop();
}
