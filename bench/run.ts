/**
 * First benchmark: throughput of POST /quotes through the local stack against the raw
 * DynamoDB Local PutItem rate, both at concurrency 16 in the same run (reported as a ratio,
 * since absolute numbers depend on the machine), and DynamoDB requests per command.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

// Handlers read these when first imported: quiet logs, metrics into the local sink.
process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { localCredentials, localRegion } = await import('#local/local-aws');
const { startLocalStack } = await import('#local/local-stack');
const { dynamoClient } = await import('#plumbing/clients');
const { currentCorrelationId } = await import('#plumbing/http/api-handler');

const concurrency = 16;
const requests = Number(process.env.BENCH_REQUESTS ?? 400);

const runConcurrently = async (total: number, task: (i: number) => Promise<void>) => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
};

const quoteBody = JSON.stringify({
  customer: { accountId: 'acct-bench', name: 'Bench Co' },
  currency: 'USD',
  lines: [{ offeringId: 'off-fiber-1g', quantity: 1, options: { term: 24 } }],
});

const stack = await startLocalStack({ port: 0, logLevel: 'ERROR' });
try {
  const raw = new DynamoDBClient({
    endpoint: stack.components.dynamo.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const table = 'cpq-oms-aggregates';
  const post = async (key: string, correlationId: string = randomUUID()) => {
    const res = await fetch(`${stack.url}/quotes`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer local-sales',
        'Idempotency-Key': key,
        'Content-Type': 'application/json',
        'X-Correlation-Id': correlationId,
      },
      body: quoteBody,
    });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`POST /quotes answered ${res.status}`);
    return res;
  };
  // Warm both paths (handler import, JIT) before measuring.
  for (let i = 0; i < 20; i++) {
    await raw.send(
      new PutItemCommand({ TableName: table, Item: { pk: { S: `BENCH#${randomUUID()}` }, sk: { S: 'A' } } }),
    );
    await post(randomUUID());
  }

  const putItemsPerSecond = await runConcurrently(requests, async () => {
    await raw.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: `BENCH#${randomUUID()}` }, sk: { S: 'A' }, payload: { S: quoteBody } },
      }),
    );
  });
  const quotesPerSecond = await runConcurrently(requests, async () => {
    await post(randomUUID());
  });

  // DynamoDB requests of one command, counted where the handlers send them; stream consumers
  // share the client, so only requests made on behalf of the measured request are counted.
  const counted: string[] = [];
  let measured = '';
  dynamoClient().middlewareStack.add(
    (next, context) => async (args) => {
      if (currentCorrelationId() === measured) counted.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'benchCountRequests' },
  );
  const key = randomUUID();
  measured = `bench-first-${randomUUID()}`;
  await post(key, measured);
  const firstCall = [...counted];
  counted.length = 0;
  measured = `bench-replay-${randomUUID()}`;
  const replay = await post(key, measured);
  const replayCalls = [...counted];

  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    concurrency,
    requests,
    dynamoDbLocalPutItemsPerSecond: Math.round(putItemsPerSecond),
    postQuotesPerSecond: Math.round(quotesPerSecond),
    ratioQuotesToPutItem: Number((quotesPerSecond / putItemsPerSecond).toFixed(3)),
    dynamoDbRequestsPerCommand: {
      'POST /quotes first call': { total: firstCall.length, commands: firstCall },
      'POST /quotes replay': {
        total: replayCalls.length,
        commands: replayCalls,
        replayed: replay.headers.get('idempotent-replayed') === 'true',
      },
    },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(
    `bench/results/${result.measuredAt.replace(/[:.]/g, '-')}.json`,
    `${JSON.stringify(result, null, 2)}\n`,
  );
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  raw.destroy();
} finally {
  await stack.stop();
}
