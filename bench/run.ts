/**
 * `npm run bench`: bundles and init (against an anchor), throughput of every command in
 * interleaved rounds against the raw DynamoDB Local PutItem rate, DynamoDB requests and consumed
 * capacity per command and per order, ack → completed latency with a per-stage breakdown at
 * concurrency 1, 4 and 16, and a cost model over what was counted. Absolute figures depend on
 * the machine; ratios and counts measured in one run are what compare. JSON in bench/results/.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { measureBundles } from './bundles.ts';
import { commandCosts } from './commands.ts';
import { costPer1000Orders } from './cost-model.ts';
import { acceptedQuote, client, steps } from './journey.ts';
import { completion, latencyAt } from './latency.ts';
import { orderSizes, orderSizeTable } from './order-sizes.ts';
import { instrumentStack } from './probes.ts';
import { median, round, runConcurrently } from './stats.ts';

// Handlers read these when first imported: quiet logs, metrics into the local sink.
process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { localCredentials, localRegion } = await import('#local/local-aws');
const { startLocalStack, physicalTableNames } = await import('#local/local-stack');

const root = path.resolve(import.meta.dirname, '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const perRound = Number(process.env.BENCH_REQUESTS ?? 48);
const concurrency = 16;
const log = (msg: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

log('bundling handlers and measuring init');
const bundles = await measureBundles(root, Number(process.env.BENCH_INIT_ROUNDS ?? 15));

const stack = await startLocalStack({
  port: 0,
  logLevel: 'ERROR',
  scheduleIntervalMs: 24 * 3600_000,
  billTransactions: true,
});
try {
  const dynamo = stack.components.dynamoRequests;
  const probes = instrumentStack(stack);
  const api = client(stack.url);
  const raw = new DynamoDBClient({
    endpoint: stack.components.dynamo.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const putItem = () =>
    raw.send(
      new PutItemCommand({
        TableName: physicalTableNames.aggregates,
        Item: {
          pk: { S: `BENCH#${randomUUID()}` },
          sk: { S: 'A' },
          payload: { S: JSON.stringify(steps.create().body) },
        },
      }),
    );
  const waitForOrders = async (ids: string[]) => {
    for (const id of ids) await completion(stack, id);
    await probes.quiescent();
  };

  log('warm-up');
  for (let i = 0; i < 4; i++) {
    const q = await acceptedQuote(api);
    const o = await api.expect(201, steps.order(q));
    await waitForOrders([o.body.id]);
  }

  // Interleaved rounds: every round measures PutItem before and after the commands; round 0 is warm-up.
  log(
    `throughput: ${rounds} rounds (+1 warm-up) of ${perRound} requests per command at concurrency ${concurrency}`,
  );
  const rates: Record<string, number[]> = {};
  const ratios: Record<string, number[]> = {};
  for (let r = 0; r <= rounds; r++) {
    const sample: Record<string, number> = {};
    const measure = async (name: string, task: (i: number) => Promise<unknown>) => {
      sample[name] = await runConcurrently(perRound, concurrency, async (i) => void (await task(i)));
    };
    const quotes: Record<string, any>[] = [];
    const orders: string[] = [];
    await measure('dynamoDbLocalPutItem', putItem);
    const before = sample.dynamoDbLocalPutItem!;
    await measure('POST /quotes', async (i) => {
      quotes[i] = (await api.expect(201, steps.create())).body;
    });
    await measure('POST /quotes/{id}/price', (i) =>
      api.expect(200, steps.price(quotes[i]! as { id: string })),
    );
    await measure('POST /quotes/{id}/submit', (i) =>
      api.expect(200, steps.submit(quotes[i]! as { id: string })),
    );
    await measure('POST /quotes/{id}/accept', async (i) => {
      quotes[i] = (await api.expect(200, steps.accept(quotes[i]! as { id: string }))).body;
    });
    await measure('GET /quotes/{id}', (i) =>
      api.expect(200, { method: 'GET', path: `/quotes/${quotes[i]!.id}` }),
    );
    await measure('POST productOrder', async (i) => {
      orders[i] = (await api.expect(201, steps.order(quotes[i]!))).body.id;
    });
    await waitForOrders(orders);
    await measure('GET productOrder/{id}', (i) =>
      api.expect(200, {
        method: 'GET',
        path: `/tmf-api/productOrderingManagement/v4/productOrder/${orders[i]}`,
      }),
    );
    await measure('dynamoDbLocalPutItem', putItem);
    sample.dynamoDbLocalPutItem = (before + sample.dynamoDbLocalPutItem!) / 2;
    log(
      `round ${r}: ${Object.entries(sample)
        .map(([k, v]) => `${k} ${Math.round(v)}/s`)
        .join(', ')}`,
    );
    if (r === 0) continue;
    for (const [name, rate] of Object.entries(sample)) {
      rates[name] = [...(rates[name] ?? []), rate];
      ratios[name] = [...(ratios[name] ?? []), rate / sample.dynamoDbLocalPutItem!];
    }
  }
  const throughput = Object.fromEntries(
    Object.keys(rates).map((name) => [
      name,
      {
        medianPerSecond: Math.round(median(rates[name]!)),
        medianRatioToPutItem: round(median(ratios[name]!), 3),
      },
    ]),
  );

  log('DynamoDB requests per command (first call and replay)');
  const commands = await commandCosts(api, dynamo, probes, waitForOrders);

  const latency: Record<string, Awaited<ReturnType<typeof latencyAt>>> = {};
  for (const [c, orders] of [
    [1, Number(process.env.BENCH_ORDERS_C1 ?? 12)],
    [4, Number(process.env.BENCH_ORDERS_C4 ?? 24)],
    [16, Number(process.env.BENCH_ORDERS_C16 ?? 48)],
  ] as const) {
    log(`latency and per-order usage at concurrency ${c} (${orders} orders)`);
    latency[`concurrency${c}`] = await latencyAt(stack, api, dynamo, probes, c, orders);
  }
  log('orders of 1 to 500 items, one at a time');
  const sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : [...orderSizes];
  const orderSizeResults = await orderSizeTable(stack, api, dynamo, probes, sizes, log);

  const usage = latency.concurrency16!.perOrder;
  const cost = costPer1000Orders({
    apiRequests: usage.apiRequests,
    lambdaInvocations: usage.lambdaInvocations,
    lambdaGbSeconds: usage.lambdaGbSeconds,
    standardTransitions: usage.standardTransitions,
    expressRequests: usage.expressRequests,
    expressGbSeconds: usage.expressGbSeconds,
    expressTransitions: usage.expressTransitions,
    dynamoWru: usage.dynamo.wru,
    dynamoRru: usage.dynamo.rru,
    eventBridgeEvents: usage.eventBridgeEvents,
    handlerLogBytes: usage.handlerLogBytes,
  });

  const result = {
    measuredAt: new Date().toISOString(),
    command: 'npm run bench',
    machine: { cpus: cpus().length, node: process.version, loadAverage1m: round(loadavg()[0] ?? 0, 2) },
    settings: { rounds, perRound, concurrency },
    cost: { basis: 'per-order usage at concurrency 16 (the full quote → completed order journey)', ...cost },
    bundles,
    throughput,
    dynamoDbPerCommand: commands,
    latency,
    orderSizes: orderSizeResults,
  };
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  const text = `${JSON.stringify(result, null, 2)}\n`;
  writeFileSync(path.join(root, 'bench/results/latest.json'), text);
  writeFileSync(path.join(root, `bench/results/${result.measuredAt.replace(/[:.]/g, '-')}.json`), text);
  process.stdout.write(text);
  raw.destroy();
} finally {
  await stack.stop();
}
