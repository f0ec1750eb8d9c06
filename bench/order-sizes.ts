/**
 * Orders of 1, 10, 50, 200 and 500 items (mixed offerings, per site a fiber access, a security
 * service and a static IP block), one at a time through the whole journey: time from the order's
 * 201 to its completed execution, and what AWS would bill for it (DynamoDB WRU and RRU, Standard
 * state transitions, Lambda invocations, EventBridge events, evidence records sealed in S3,
 * Firehose records in 5 KB steps), with the largest item, event and state payload it produced.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { itemBytes } from '#adapters/item-bytes';
import type { DynamoTally, KindTally } from '#local/dynamo-requests';
import type { LocalStack } from '#local/local-stack';
import { enterpriseLines } from '../test/support/request-bodies.ts';
import { costPer1000Orders, type PerOrderUsage } from './cost-model.ts';
import { type Client, ordersPath } from './journey.ts';
import { completion } from './latency.ts';
import type { instrumentStack } from './probes.ts';

type Probes = ReturnType<typeof instrumentStack>;

export const orderSizes = [1, 10, 50, 200, 500] as const;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

const filesUnder = (dir: string): { count: number } => {
  let count = 0;
  const walk = (d: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else count++;
    }
  };
  walk(dir);
  return { count };
};

/** Largest item of an aggregate partition (its header and pages), in bytes of JSON. */
const largestItem = async (stack: LocalStack, pk: string): Promise<number> => {
  let max = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.components.doc.send(
      new QueryCommand({
        TableName: 'cpq-oms-aggregates',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    // As DynamoDB sizes it: a compressed document is counted as its bytes, not as JSON of them.
    for (const item of page.Items ?? []) max = Math.max(max, itemBytes(marshall(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return max;
};

const spentByFunction = (
  invocations: Record<string, { count: number }>,
  wruAfter: Record<string, number>,
  wruBefore: Record<string, number>,
): OrderSizeResult['byFunction'] => {
  const names = new Set([...Object.keys(invocations), ...Object.keys(wruAfter)]);
  const rows = [...names].map((name) => ({
    name,
    invocations: invocations[name]?.count ?? 0,
    dynamoWru: Math.round(((wruAfter[name] ?? 0) - (wruBefore[name] ?? 0)) * 10) / 10,
  }));
  return Object.fromEntries(
    rows
      .filter((r) => r.invocations > 0 || r.dynamoWru > 0)
      .sort((a, b) => b.dynamoWru - a.dynamoWru || b.invocations - a.invocations)
      .map(({ name, ...spent }) => [name, spent]),
  );
};

export type OrderSizeResult = {
  items: number;
  secondsToCompleted: number;
  usage: PerOrderUsage;
  /** Lambda GB-s of local wall time (load-dependent), beside the billed `usage.lambdaGbSeconds`. */
  wallGbSeconds: number;
  largestItemBytes: number;
  largestEventBytes: number;
  largestStatePayloadBytes: number;
  /** Where the usage went: invocations and DynamoDB write units by function (what to cut first). */
  byFunction: Record<string, { invocations: number; dynamoWru: number }>;
  /** Write units by function, table and item kind (`#local/dynamo-requests`), largest first. */
  writesByKind: Record<string, KindTally>;
};

const kindsSpent = (after: Record<string, KindTally>, before: Record<string, KindTally>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, a]): [string, KindTally] => {
        const b = before[k] ?? { wru: 0, writes: 0, bytes: 0 };
        return [
          k,
          { wru: Math.round((a.wru - b.wru) * 10) / 10, writes: a.writes - b.writes, bytes: a.bytes },
        ];
      })
      .filter(([, t]) => t.writes > 0)
      .sort(([, a], [, b]) => b.wru - a.wru),
  );

/** One order of `items` items from create to completed; what it cost. Sequential: nothing else runs. */
export const measureOrderSize = async (
  stack: LocalStack,
  api: Client,
  dynamo: { global: DynamoTally },
  probes: Probes,
  items: number,
): Promise<OrderSizeResult> => {
  await probes.quiescent();
  const { runtime, bus, lake, lakeDir } = stack.components;
  const evidenceDir = join(dirname(lakeDir), 'evidence');
  let largestEvent = 0;
  let largestState = 0;
  let firehoseRecords = 0;
  let firehoseBilledBytes = 0;
  const invoke = runtime.invoke.bind(runtime);
  runtime.invoke = (async (name: Parameters<typeof invoke>[0], event: unknown) => {
    const result = await invoke(name, event);
    // What a Task state hands its function and gets back is the state payload Step Functions limits.
    if (name.startsWith('fulfillment-')) largestState = Math.max(largestState, bytes(event), bytes(result));
    return result;
  }) as typeof runtime.invoke;
  const putEvents = bus.putEvents.bind(bus);
  bus.putEvents = (entries) => {
    for (const e of entries) largestEvent = Math.max(largestEvent, Buffer.byteLength(e.Detail ?? '', 'utf8'));
    return putEvents(entries);
  };
  const puts = lake.map((stream) => stream.put.bind(stream));
  lake.forEach((stream, i) => {
    stream.put = (event) => {
      firehoseRecords++;
      // Firehose bills ingestion in 5 KB steps per record.
      firehoseBilledBytes += Math.ceil(bytes(event) / 5120) * 5120;
      puts[i]!(event);
    };
  });
  try {
    const lines = enterpriseLines(items);
    const created = await api.expect(201, {
      method: 'POST',
      path: '/quotes',
      body: { customer: { accountId: `acct-bench-${items}`, name: 'Acme' }, currency: 'USD', lines },
    });
    const quoteId = created.body.id as string;
    await api.expect(200, { method: 'POST', path: `/quotes/${quoteId}/price`, body: {} });
    await api.expect(200, { method: 'POST', path: `/quotes/${quoteId}/submit`, body: {} });
    const quote = (await api.expect(200, { method: 'POST', path: `/quotes/${quoteId}/accept`, body: {} }))
      .body;
    await probes.quiescent();
    const dynamoBefore = {
      ...dynamo.global,
      wruByFunction: { ...dynamo.global.wruByFunction },
      writesByKind: structuredClone(dynamo.global.writesByKind),
    };
    const before = probes.snapshot();
    const evidenceBefore = filesUnder(evidenceDir).count;
    const apiBefore = api.requests();
    const order = await api.expect(201, {
      method: 'POST',
      path: ordersPath,
      body: {
        quote: [{ id: quoteId }],
        billingAccount: { id: 'ba-bench' },
        productOrderItem: (quote.lines as { id: string }[]).map((line, i) => ({
          id: String(i + 1),
          action: 'add',
          quoteItem: { id: line.id },
        })),
      },
    });
    const ack = Date.now();
    const orderId = order.body.id as string;
    const execution = await completion(stack, orderId, 1_800_000);
    const seconds = (execution.stopDate!.getTime() - ack) / 1000;
    // The execution also succeeds when it holds the order for repair: only completed counts.
    const state = (await api.expect(200, { method: 'GET', path: `${ordersPath}/${orderId}` })).body.state;
    if (state !== 'completed') {
      // What drove it: the first run (the one timed) and how the others ended.
      const runs = [...stack.components.sfn.executions.values()].filter((e) =>
        e.input.includes(`"${orderId}"`),
      );
      const ended = Object.entries(Object.groupBy(runs.slice(1), (e) => e.status)).map(
        ([status, list]) => `${list?.length} ${status}`,
      );
      const first = `${runs[0]?.status} ${runs[0]?.output?.slice(0, 400) ?? ''}`;
      throw new Error(
        `order of ${items} items ended ${state}, not completed; first run ${first}; other runs: ${ended.join(', ')}`,
      );
    }
    await probes.quiescent();
    await Promise.all(lake.map((stream) => stream.flush()));
    const used = probes.since(before);
    return {
      items,
      secondsToCompleted: Math.round(seconds * 10) / 10,
      usage: {
        apiRequests: api.requests() - apiBefore,
        lambdaInvocations: used.invocations,
        lambdaGbSeconds: used.gbSeconds,
        standardTransitions: used.standardTransitions,
        expressRequests: used.expressExecutions,
        expressTransitions: used.expressTransitions,
        expressGbSeconds: used.expressGbSeconds,
        dynamoWru: dynamo.global.wru - dynamoBefore.wru,
        dynamoRru: dynamo.global.rru - dynamoBefore.rru,
        eventBridgeEvents: used.eventsPut,
        evidenceObjects: filesUnder(evidenceDir).count - evidenceBefore,
        firehoseRecords,
        firehoseBilledBytes,
        handlerLogBytes: used.emfBytes,
        invocationsByFunction: Object.fromEntries(
          Object.entries(used.byFunction).map(([fn, f]) => [fn, f.count]),
        ),
      },
      wallGbSeconds: used.wallGbSeconds,
      largestItemBytes: Math.max(
        await largestItem(stack, `ORDER#${orderId}`),
        await largestItem(stack, `QUOTE#${quoteId}`),
      ),
      largestEventBytes: largestEvent,
      largestStatePayloadBytes: largestState,
      byFunction: spentByFunction(used.byFunction, dynamo.global.wruByFunction, dynamoBefore.wruByFunction),
      writesByKind: kindsSpent(dynamo.global.writesByKind, dynamoBefore.writesByKind),
    };
  } finally {
    runtime.invoke = invoke as typeof runtime.invoke;
    bus.putEvents = putEvents;
    lake.forEach((stream, i) => {
      stream.put = puts[i]!;
    });
  }
};

/**
 * The table `npm run bench` writes: per order size, time and usage of one order, its cost per
 * 1,000 orders and per 1,000 items, and the per-item ratios of the largest order to 10 items.
 */
export const orderSizeTable = async (
  stack: LocalStack,
  api: Client,
  dynamo: { global: DynamoTally },
  probes: Probes,
  sizes: readonly number[] = orderSizes,
  log: (msg: string) => void = () => {},
) => {
  const rows: (OrderSizeResult & {
    usdPer1000Orders: number;
    usdPer1000Items: number;
    secondsPerItem: number;
    breakdownUsdPer1000Orders: Record<string, number>;
  })[] = [];
  const failures: { items: number; error: string }[] = [];
  for (const items of sizes) {
    log(`order of ${items} item(s)`);
    let r: OrderSizeResult;
    try {
      r = await measureOrderSize(stack, api, dynamo, probes, items);
    } catch (error) {
      failures.push({ items, error: (error as Error).message });
      continue;
    }
    const cost = costPer1000Orders({ ...r.usage, evidenceEncryption: 'SSE-KMS-bucket-key' });
    rows.push({
      ...r,
      usdPer1000Orders: cost.usdPer1000Orders,
      usdPer1000Items: Math.round((cost.usdPer1000Orders / items) * 1000) / 1000,
      secondsPerItem: Math.round((r.secondsToCompleted / items) * 1000) / 1000,
      breakdownUsdPer1000Orders: cost.breakdownUsdPer1000Orders,
    });
  }
  const at = (n: number) => rows.find((r) => r.items === n);
  const base = at(10);
  const largest = rows.at(-1);
  return {
    basis:
      'one order at a time, from its 201 to its completed execution (quote steps before it not counted); Lambda duration billed as each invocation’s own CPU time plus a modelled in-region latency per outbound request (bench/billed-duration.ts), not local wall time; evidence sealed in S3 with Object Lock and SSE-KMS with a Bucket Key (as deployed: one S3 PUT per record, KMS data keys per bucket-key period, not per record)',
    rows,
    failures,
    ratiosToTenItems:
      base && largest && largest !== base
        ? {
            items: largest.items,
            costPerItem: Math.round((largest.usdPer1000Items / base.usdPer1000Items) * 100) / 100,
            timePerItem: Math.round((largest.secondsPerItem / base.secondsPerItem) * 100) / 100,
          }
        : undefined,
    excluded: rows[0] ? costPer1000Orders({ ...rows[0].usage }).excluded : undefined,
  };
};
