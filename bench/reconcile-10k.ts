/**
 * `npm run bench:reconcile`: a full reconciliation run (every check) over 10,000 orders, as the
 * reconciliation state machine on the local stack. Known drift is planted so correctness is
 * checked, not only completion: back-dated orders never started, and order-tracking rows deleted
 * from the read model. JSON in bench/results/reconcile-*.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { round } from './stats.ts';

process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { startLocalStack, physicalTableNames } = await import('#local/local-stack');
const { seedOrders, orderIdOf, stopPublishing } = await import('./seed-orders.ts');

const total = Number(process.env.BENCH_ORDERS ?? 10_000);
const notStarted = Number(process.env.BENCH_NOT_STARTED ?? 50);
const rowsDeleted = Number(process.env.BENCH_ROWS_DELETED ?? 20);
const log = (msg: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

// The projection grace must be shorter than the time between seeding and the run.
process.env.RECON_PROJECTION_GRACE_MS = '0';
const stack = await startLocalStack({ port: 0, logLevel: 'ERROR', scheduleIntervalMs: 24 * 3600_000 });
await stopPublishing(stack);
const call = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(`${stack.url}${p}`, {
    method,
    headers: {
      authorization: 'Bearer local-ops',
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

let report: Record<string, unknown> = {};
try {
  log(`seeding ${total} orders (${notStarted} back-dated 2 h, never started)`);
  const seedStarted = Date.now();
  await seedOrders(0, notStarted, { ageMs: 2 * 3600_000 });
  const rate = await seedOrders(notStarted, total);
  for (;;) {
    const last = await call('GET', `/views/order-tracking/${orderIdOf(total - 1)}`);
    if (last.status === 200) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const seededMs = Date.now() - seedStarted;
  log(`seeded and projected in ${seededMs} ms; deleting ${rowsDeleted} order-tracking rows`);
  const { documentClient } = await import('#plumbing/clients');
  const deleted = Array.from({ length: rowsDeleted }, (_, k) => orderIdOf(total - 1 - k * 7));
  for (const id of deleted)
    await documentClient().send(
      new DeleteCommand({
        TableName: physicalTableNames.readModels,
        Key: { pk: `order-tracking#v1#${id}`, sk: 'ROW' },
      }),
    );

  const memoryBefore = process.memoryUsage().rss;
  let peakRss = memoryBefore;
  const started = performance.now();
  const start = await call('POST', '/ops/reconciliation-runs', {});
  const answeredMs = performance.now() - started;
  if (start.status !== 202) throw new Error(`start: ${start.status} ${JSON.stringify(start.body)}`);
  const runId = start.body.runId as string;
  let run: Record<string, any>;
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    run = (await call('GET', `/ops/reconciliation-runs/${runId}`)).body;
    log(`${run.status} ${JSON.stringify(run.progress)}`);
    if (run.status !== 'RUNNING') break;
  }
  const durationMs = performance.now() - started;
  const byKind = (c: string) => run.byClassification?.[c] ?? 0;
  const summary = (check: string) => run.checks.find((c: any) => c.check === check);
  const missingRows = run.findings.filter(
    (f: any) => f.classification === 'PROJECTION_DRIFT' && deleted.includes(f.counterpartRecord?.id),
  );
  const correct = {
    completed: run.status === 'COMPLETED',
    everyOrderExamined: summary('order-execution-started')?.examined === total,
    notStartedFound: byKind('ORDER_EXECUTION_NOT_STARTED') === notStarted,
    deletedRowsFoundAndRepaired:
      missingRows.length === rowsDeleted && missingRows.every((f: any) => f.resultingState === 'REPAIRED'),
  };
  report = {
    benchmark: 'reconcile',
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, loadavg: loadavg().map((l) => round(l, 2)) },
    orders: total,
    planted: { notStarted, rowsDeleted },
    seeding: { ordersPerSecond: round(rate), seededAndProjectedMs: seededMs },
    run: {
      runId,
      answeredMs: round(answeredMs),
      durationMs: round(durationMs),
      ordersPerSecond: round(total / (durationMs / 1000)),
      status: run.status,
      progress: run.progress,
      driftCount: run.driftCount,
      byClassification: run.byClassification,
      checks: run.checks,
      error: run.error,
    },
    memory: { rssBeforeMb: round(memoryBefore / 2 ** 20), peakRssMb: round(peakRss / 2 ** 20) },
    correct,
  };
} finally {
  await stack.stop();
}
const dir = path.resolve(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `reconcile-${String(report.at).replaceAll(':', '-')}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(path.join(dir, 'reconcile-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `${JSON.stringify({ run: report.run, correct: report.correct }, null, 2)}\nwritten ${file}\n`,
);
if (!Object.values(report.correct as Record<string, boolean>).every(Boolean)) process.exitCode = 1;
