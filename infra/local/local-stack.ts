import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoClient as handlerDynamoClient } from '#plumbing/clients';
import { resourceEnv, schedules, streamConsumers, type TableName, tables } from '#topology';
import { type HttpReply, type HttpRequest, LocalApiGateway } from './api-gateway.ts';
import { handleAwsCall } from './aws-endpoint.ts';
import { sampleAwsMetrics } from './aws-metrics.ts';
import { ensureTables, type LocalDynamo, startDynamo } from './dynamo.ts';
import { injectTableFaults } from './dynamo-faults.ts';
import { LocalEventBus } from './event-bus.ts';
import { LambdaRuntime } from './lambda-runtime.ts';
import { localCredentials, localRegion, localStateMachineArn } from './local-aws.ts';
import { handleLocalRoute } from './local-routes.ts';
import { MetricsSink } from './metrics-sink.ts';
import { ReadAudit } from './read-audit.ts';
import { LocalScheduler } from './scheduler.ts';
import { DownstreamSimulator, simulatorTable } from './simulators.ts';
import { LocalStepFunctions } from './step-functions.ts';
import { checkpointTable, StreamPoller, wakeOnWrites } from './stream-poller.ts';

export type LocalStackOptions = {
  /** API port; 0 picks a free one. */
  port: number;
  dataDir?: string;
  /** Scales Wait states and retry pauses of the state machines (1 = real time). */
  timeScale?: number;
  /** How long dispatch waits for a downstream answer before calling the outcome unknown. */
  downstreamTimeoutMs?: number;
  /** How long the simulated downstreams may still record a request after it left us (both systems). */
  downstreamInFlightWindowMs?: number;
  scheduleIntervalMs?: number;
  logLevel?: string;
};

export const physicalTableNames: Record<TableName, string> = {
  aggregates: 'cpq-oms-aggregates',
  idempotency: 'cpq-oms-idempotency',
  readModels: 'cpq-oms-read-models',
};

/** The simulators' promise: a request they receive is recorded within this long, or never. */
export const defaultInFlightWindowMs = 5000;

const logicalTableNames = new Map(
  Object.entries(physicalTableNames).map(([logical, physical]) => [physical, logical as TableName]),
);

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const freePort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
};

const readBody = (req: IncomingMessage, limit = 1_000_000): Promise<string> =>
  new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('payload too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;

export const startLocalStack = async (options: LocalStackOptions) => {
  const startedAt = Date.now();
  const metrics = new MetricsSink();
  const dynamo: LocalDynamo = await startDynamo({ port: await freePort(), dataDir: options.dataDir });
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(options.port, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const inFlightWindowMs = options.downstreamInFlightWindowMs ?? defaultInFlightWindowMs;

  Object.assign(process.env, {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: url,
    AWS_ENDPOINT_URL_SFN: url,
    [resourceEnv.tables.aggregates]: physicalTableNames.aggregates,
    [resourceEnv.tables.idempotency]: physicalTableNames.idempotency,
    [resourceEnv.tables.readModels]: physicalTableNames.readModels,
    [resourceEnv.eventBus]: 'cpq-oms-local-bus',
    [resourceEnv.stateMachines.fulfillment]: localStateMachineArn('fulfillment'),
    [resourceEnv.stateMachines.reconciliation]: localStateMachineArn('reconciliation'),
    [resourceEnv.downstream.provisioning]: `${url}/downstream/provisioning`,
    [resourceEnv.downstream.billing]: `${url}/downstream/billing`,
    DOWNSTREAM_TIMEOUT_MS: String(options.downstreamTimeoutMs ?? 1000),
    [resourceEnv.downstreamInFlightWindowMs.provisioning]: String(inFlightWindowMs),
    [resourceEnv.downstreamInFlightWindowMs.billing]: String(inFlightWindowMs),
    AUTH_MODE: 'local-tokens',
    PUBLIC_BASE_URL: url,
    // Test subscribers listen on 127.0.0.1; in AWS callbacks must be public HTTPS.
    HUB_ALLOW_PRIVATE_CALLBACKS: 'true',
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_SERVICE_NAME: 'cpq-oms',
    POWERTOOLS_METRICS_NAMESPACE: 'CpqOms',
    // Dev mode turns metrics off unless told otherwise: the local sink is their CloudWatch.
    POWERTOOLS_METRICS_DISABLED: 'false',
  });
  metrics.capture();

  const dynamoClient = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const doc = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });
  await ensureTables(dynamoClient, {
    ...Object.fromEntries(
      Object.entries(tables).map(([k, spec]) => [physicalTableNames[k as TableName], spec]),
    ),
    [checkpointTable]: { partitionKey: 'pk', sortKey: 'sk' },
    [simulatorTable]: { partitionKey: 'pk', sortKey: 'sk' },
  });

  // The handlers' own client (one per runtime, as in Lambda): full reads by request handlers are recorded.
  const readAudit = new ReadAudit();
  readAudit.install(handlerDynamoClient());
  const runtime = new LambdaRuntime(projectRoot);
  await runtime.preload();
  injectTableFaults(handlerDynamoClient(), runtime.faults, (physical) => logicalTableNames.get(physical));
  const gateway = new LocalApiGateway(runtime);
  const bus = new LocalEventBus(runtime);
  const sfn = new LocalStepFunctions(projectRoot, runtime, options.timeScale ?? 0.1);
  const simulators = {
    provisioning: new DownstreamSimulator('provisioning', doc, (options.downstreamTimeoutMs ?? 1000) * 3),
    billing: new DownstreamSimulator('billing', doc, (options.downstreamTimeoutMs ?? 1000) * 3),
  };
  const pollers = streamConsumers.map(
    (c) => new StreamPoller(c, physicalTableNames[c.table], dynamo.endpoint, dynamoClient, doc, runtime),
  );
  wakeOnWrites(handlerDynamoClient(), pollers);
  const scheduler = new LocalScheduler(runtime, schedules, options.scheduleIntervalMs);
  const components = {
    dynamo,
    runtime,
    gateway,
    bus,
    sfn,
    simulators,
    pollers,
    scheduler,
    readAudit,
    metrics,
    doc,
    startedAt,
  };

  const reply = (res: ServerResponse, r: HttpReply) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  };
  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const body = await readBody(req);
      const target = req.headers['x-amz-target'];
      if (typeof target === 'string')
        return reply(res, handleAwsCall(target, body, bus, sfn, runtime.faults));
      const parsed = new URL(req.url ?? '/', url);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string') headers[k.toLowerCase()] = v;
      const request: HttpRequest = {
        method: req.method ?? 'GET',
        path: parsed.pathname,
        query: parsed.searchParams,
        headers,
        body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      };
      const local = await handleLocalRoute(request, components, res);
      if (local === 'handled') return;
      if (local) return reply(res, local);
      reply(res, await gateway.handle(request));
    } catch (error) {
      const message = (error as Error).message;
      const status = message === 'payload too large' ? 413 : 500;
      reply(res, {
        status,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'LOCAL_STACK_ERROR',
          message,
          status: String(status),
        }),
      });
    }
  });

  for (const p of pollers) p.start();
  scheduler.start();
  const awsMetrics = setInterval(() => sampleAwsMetrics(metrics, bus, pollers), 5_000);
  awsMetrics.unref();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      scheduler.stop();
      clearInterval(awsMetrics);
      await Promise.all(pollers.map((p) => p.stop()));
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await Promise.race([Promise.all([bus.drain(), sfn.drain()]), new Promise((r) => setTimeout(r, 2000))]);
      dynamoClient.destroy();
      await dynamo.stop();
      metrics.release();
    })();
    return stopping;
  };

  return { url, port, startupMs: Date.now() - startedAt, stop, components };
};
