/**
 * `npm run bench:reads`: latency of every list and view at 100 orders and again at 10,000, in
 * one run on one stack, as ratios (10,000 / 100). Flat means the key design reads only what it
 * returns. Orders are written straight into DynamoDB Local through the repository code; the
 * stack's stream poller projects them. JSON in bench/results/read-growth-*.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { median, percentile, round } from './stats.ts';

process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { startLocalStack } = await import('#local/local-stack');
const { seedOrders, orderIdOf, ordersPerAccount, stopPublishing } = await import('./seed-orders.ts');

const levels = [Number(process.env.BENCH_SMALL ?? 100), Number(process.env.BENCH_LARGE ?? 10_000)];
const samples = Number(process.env.BENCH_SAMPLES ?? 30);
const orders = '/tmf-api/productOrderingManagement/v4/productOrder';
const log = (msg: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const { dynamoClient } = await import('#plumbing/clients');
const stack = await startLocalStack({ port: 0, logLevel: 'ERROR', scheduleIntervalMs: 24 * 3600_000 });
await stopPublishing(stack);

/** Items DynamoDB read for the handlers (Query ScannedCount, Get, BatchGet): load-independent. */
let itemsRead = 0;
dynamoClient().middlewareStack.add(
  (next) => async (args) => {
    const result = await next(args);
    const out = result.output as {
      ScannedCount?: number;
      Item?: unknown;
      Responses?: Record<string, unknown[]>;
    };
    itemsRead +=
      (out.ScannedCount ?? 0) +
      (out.Item ? 1 : 0) +
      Object.values(out.Responses ?? {}).reduce((n, items) => n + items.length, 0);
    return result;
  },
  { step: 'initialize', name: 'benchItemsRead' },
);
const get = async (p: string, token: string) => {
  const started = performance.now();
  const res = await fetch(`${stack.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${p}: ${res.status} ${body.slice(0, 200)}`);
  return { ms, headers: res.headers, body };
};

const waitProjected = async (count: number) => {
  const last = orderIdOf(count - 1);
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const res = await fetch(`${stack.url}/views/order-tracking/${last}`, {
      headers: { authorization: 'Bearer local-ops' },
    });
    await res.text();
    if (res.status === 200) return;
    if (Date.now() > deadline) throw new Error(`order ${last} not projected in time`);
    await new Promise((r) => setTimeout(r, 500));
  }
};

/** Each pattern: what a client asks for; `n` seeded orders exist. */
const patterns = (
  n: number,
): Record<string, { path: string | (() => Promise<string> | string); token: string }> => {
  const someOrder = () => orderIdOf(Math.floor(Math.random() * n));
  // Staff name an account by its real id, the channel's and the channel's account id.
  const someAccount = () => `partner-a:acct-bench-${Math.floor(Math.random() * (n / ordersPerAccount))}`;
  return {
    'orders: all, newest first (ops, 8 shards)': { path: `${orders}?limit=20`, token: 'local-ops' },
    'orders: all, second page by cursor (ops)': {
      path: async () => {
        const first = await get(`${orders}?limit=10`, 'local-ops');
        return `${orders}?limit=10&cursor=${first.headers.get('x-next-cursor')}`;
      },
      token: 'local-ops',
    },
    'orders: by state (ops, 8 shards)': { path: `${orders}?state=acknowledged&limit=20`, token: 'local-ops' },
    'orders: by channel and state (sales)': {
      path: `${orders}?channelId=partner-a&state=acknowledged&limit=20`,
      token: 'local-sales',
    },
    'orders: own channel (partner)': { path: `${orders}?limit=20`, token: 'local-partner-a' },
    'orders: by customer (ops)': { path: () => `${orders}?accountId=${someAccount()}`, token: 'local-ops' },
    'orders: offset 100 (partner)': { path: `${orders}?limit=20&offset=100`, token: 'local-partner-a' },
    'view: order tracking by id': { path: () => `/views/order-tracking/${someOrder()}`, token: 'local-ops' },
    'view: account timeline (page of 20)': {
      path: () => `/views/accounts/${someAccount()}/timeline?limit=20`,
      token: 'local-ops',
    },
  };
};

const measure = async (n: number, warmups: number) => {
  const out: Record<string, { medianMs: number; p95Ms: number; itemsReadPerRequest: number }> = {};
  const target = async (p: { path: string | (() => Promise<string> | string) }) =>
    typeof p.path === 'string' ? p.path : await p.path();
  // Every handler and code path warm (JIT, connections) before anything is timed.
  for (let i = 0; i < warmups; i++)
    for (const p of Object.values(patterns(n))) await get(await target(p), p.token);
  for (const [name, p] of Object.entries(patterns(n))) {
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < samples; i++) {
      const path = await target(p);
      const before = itemsRead;
      times.push((await get(path, p.token)).ms);
      items += itemsRead - before;
    }
    out[name] = {
      medianMs: round(median(times), 2),
      p95Ms: round(percentile(times, 95), 2),
      itemsReadPerRequest: round(items / samples, 1),
    };
    log(`${n} orders: ${name}: median ${out[name].medianMs} ms`);
  }
  return out;
};

const results: Record<number, Awaited<ReturnType<typeof measure>>> = {};
const seeding: Record<number, { ordersPerSecond: number; projectedAfterMs: number }> = {};
try {
  let seeded = 0;
  for (const n of levels) {
    log(`seeding orders ${seeded}..${n}`);
    const started = Date.now();
    const rate = await seedOrders(seeded, n);
    await waitProjected(n);
    seeding[n] = { ordersPerSecond: round(rate), projectedAfterMs: Date.now() - started };
    seeded = n;
    results[n] = await measure(n, n === levels[0] ? 20 : 3);
  }
} finally {
  await stack.stop();
}

const [small, large] = levels as [number, number];
const ratios = Object.fromEntries(
  Object.keys(results[small]!).map((name) => [
    name,
    {
      [`medianMsAt${small}`]: results[small]![name]!.medianMs,
      [`medianMsAt${large}`]: results[large]![name]!.medianMs,
      medianRatio: round(results[large]![name]!.medianMs / results[small]![name]!.medianMs, 2),
      p95Ratio: round(results[large]![name]!.p95Ms / results[small]![name]!.p95Ms, 2),
      [`itemsReadAt${small}`]: results[small]![name]!.itemsReadPerRequest,
      [`itemsReadAt${large}`]: results[large]![name]!.itemsReadPerRequest,
    },
  ]),
);
const report = {
  benchmark: 'read-growth',
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavg: loadavg().map((l) => round(l, 2)) },
  levels,
  samplesPerPattern: samples,
  seeding,
  ratios,
  note: 'Ratio = latency at the large level / at the small level, same run, same stack (~1 is flat; latency is noisy on a loaded machine). itemsRead = DynamoDB items read per request (Query ScannedCount + Get + BatchGet), independent of load: equal at both levels means the read does not grow with the table.',
};
const dir = path.resolve(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `read-growth-${report.at.replaceAll(':', '-')}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(path.join(dir, 'read-growth-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(ratios, null, 2)}\nwritten ${file}\n`);
