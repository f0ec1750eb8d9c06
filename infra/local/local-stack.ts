import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { acceptDevelopmentTokens } from '#plumbing/auth/verify-token';
import { dynamoClient as handlerDynamoClient } from '#plumbing/clients';
import { eventBridgeClient } from '#plumbing/event-bridge-client';
import { gatewayAnswers } from '#plumbing/http/gateway-responses';
import { localSdkRequestTimeoutMs, sdkRequestTimeoutEnv } from '#plumbing/sdk-timeouts';
import { stepFunctions } from '#plumbing/sfn-client';
import {
  type DeliveryStreamName,
  deliveryStreams,
  type QueueName,
  queues,
  resourceEnv,
  schedules,
  streamConsumers,
  type TableName,
  tables,
} from '#topology';
import {
  gatewayError,
  type HttpReply,
  type HttpRequest,
  LocalApiGateway,
  maxProxyRequestBytes,
} from './api-gateway.ts';
import { AsyncInvoker } from './async-invoker.ts';
import { handleAwsCall } from './aws-endpoint.ts';
import { sampleAwsMetrics } from './aws-metrics.ts';
import type { LocalComponents } from './components.ts';
import { LocalDeliveryStream } from './delivery-stream.ts';
import { devTokens } from './dev-tokens.ts';
import { ensureTables, type LocalDynamo, startDynamo } from './dynamo.ts';
import { injectTableFaults } from './dynamo-faults.ts';
import { DynamoRequests } from './dynamo-requests.ts';
import { LocalEventBus } from './event-bus.ts';
import { ExecutionStore, executionTable } from './execution-store.ts';
import { authorizeObjectsWith } from './file-evidence-store.ts';
import { connectionsPerFunction } from './function-connections.ts';
import { IamEnforcement } from './iam-enforcement.ts';
import { LambdaRuntime } from './lambda-runtime.ts';
import { localCredentials, localRegion, localStateMachineArn } from './local-aws.ts';
import { LocalQueue, queueTable } from './local-queue.ts';
import { handleLocalRoute } from './local-routes.ts';
import { MetricsSink } from './metrics-sink.ts';
import { ReadAudit } from './read-audit.ts';
import { LocalScheduler } from './scheduler.ts';
import { DownstreamSimulator, simulatorTable, simulatorTableSpec } from './simulators.ts';
import { LocalStepFunctions, localExpressLimitMs } from './step-functions.ts';
import { checkpointTable, StreamPoller, wakeOnWrites } from './stream-poller.ts';
import { localStackName, type ResolvedPolicies, resolvedPolicies } from './template-policies.ts';

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
  /** Multiplies the per-channel usage plan limits of the local gateway (1 = as deployed). */
  throttleScale?: number;
  /** Changes the IAM policies resolved from the synthesized template before they are enforced (tests). */
  policies?: (resolved: ResolvedPolicies) => ResolvedPolicies;
};

export const physicalTableNames: Record<TableName, string> = {
  aggregates: 'cpq-oms-aggregates',
  idempotency: 'cpq-oms-idempotency',
  readModels: 'cpq-oms-read-models',
  search: 'cpq-oms-search',
};

const localEventBus = 'cpq-oms-local-bus';
const evidenceBucket = 'cpq-oms-evidence';

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

/**
 * The request body, or `tooLarge` once it passes the proxy limit: the rest is read and dropped
 * (up to a hard cap) so the client gets its 413 instead of a reset connection.
 */
const readBody = (req: IncomingMessage, limit = maxProxyRequestBytes): Promise<string | { tooLarge: true }> =>
  new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (size > limit * 8) req.destroy();
    });
    req.on('end', () =>
      resolveBody(size > limit ? { tooLarge: true } : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;

export const startLocalStack = async (options: LocalStackOptions) => {
  const startedAt = Date.now();
  const metrics = new MetricsSink();
  const dynamo: LocalDynamo = await startDynamo({ port: await freePort(), dataDir: options.dataDir });
  // Both servers listen before the handlers exist (the handlers' environment names their URLs),
  // so a request that arrives during start-up waits until its server is ready, never hangs.
  const routes = new Map<Server, (req: IncomingMessage, res: ServerResponse) => Promise<void>>();
  const publicReady = Promise.withResolvers<void>();
  const internalReady = Promise.withResolvers<void>();
  const heldUntil =
    (ready: Promise<void>, s: Server) => async (req: IncomingMessage, res: ServerResponse) => {
      await ready;
      await routes.get(s)?.(req, res);
    };
  const server: Server = createServer();
  server.on('request', heldUntil(publicReady.promise, server));
  await new Promise<void>((r) => server.listen(options.port, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const inFlightWindowMs = options.downstreamInFlightWindowMs ?? defaultInFlightWindowMs;
  // The AWS API emulations and the downstream simulators listen on their own port: in AWS they
  // are other services, never reachable through the public API.
  const internalServer: Server = createServer();
  internalServer.on('request', heldUntil(internalReady.promise, internalServer));
  await new Promise<void>((r) => internalServer.listen(0, '127.0.0.1', r));
  const internalUrl = `http://127.0.0.1:${(internalServer.address() as AddressInfo).port}`;
  // The data lake and the evidence store: under the data folder, or a fresh temporary folder
  // for an in-memory stack.
  const dataRoot = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cpq-oms-data-'));
  const lakeDir = join(dataRoot, 'lake');
  const evidenceDir = join(dataRoot, 'evidence');
  mkdirSync(lakeDir, { recursive: true });

  Object.assign(process.env, {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamo.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: internalUrl,
    AWS_ENDPOINT_URL_SFN: internalUrl,
    [resourceEnv.tables.aggregates]: physicalTableNames.aggregates,
    [resourceEnv.tables.idempotency]: physicalTableNames.idempotency,
    [resourceEnv.tables.readModels]: physicalTableNames.readModels,
    [resourceEnv.tables.search]: physicalTableNames.search,
    [resourceEnv.eventBus]: localEventBus,
    [resourceEnv.stateMachines.fulfillment]: localStateMachineArn('fulfillment'),
    [resourceEnv.stateMachines.reconciliation]: localStateMachineArn('reconciliation'),
    [resourceEnv.downstream.provisioning]: `${internalUrl}/downstream/provisioning`,
    [resourceEnv.downstream.billing]: `${internalUrl}/downstream/billing`,
    [resourceEnv.publicBaseUrl]: url,
    [resourceEnv.facts.localEngine]: resolve(projectRoot, 'infra/local/duckdb-facts.ts'),
    [resourceEnv.facts.localDir]: lakeDir,
    [resourceEnv.evidence.localStore]: resolve(projectRoot, 'infra/local/file-evidence-store.ts'),
    [resourceEnv.evidence.localDir]: evidenceDir,
    DOWNSTREAM_TIMEOUT_MS: String(options.downstreamTimeoutMs ?? 1000),
    [sdkRequestTimeoutEnv]: process.env[sdkRequestTimeoutEnv] ?? String(localSdkRequestTimeoutMs),
    [resourceEnv.downstreamInFlightWindowMs.provisioning]: String(inFlightWindowMs),
    [resourceEnv.downstreamInFlightWindowMs.billing]: String(inFlightWindowMs),
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
  acceptDevelopmentTokens(devTokens);

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
    [simulatorTable]: simulatorTableSpec,
    [executionTable]: { partitionKey: 'pk' },
    [queueTable]: { partitionKey: 'pk', sortKey: 'sk' },
  });

  // The handlers' own client (one per runtime, as in Lambda): full reads by request handlers are recorded.
  const readAudit = new ReadAudit();
  readAudit.install(handlerDynamoClient());
  const runtime = new LambdaRuntime(projectRoot);
  await runtime.preload();
  // After preload: the request scope of the handlers' own module instance (loaded with their env).
  const { currentCorrelationId } = await import('#plumbing/http/api-handler');
  const dynamoRequests = new DynamoRequests(handlerDynamoClient(), currentCorrelationId);
  injectTableFaults(handlerDynamoClient(), runtime.faults, (physical) => logicalTableNames.get(physical));
  const resolved = await resolvedPolicies({
    tables: physicalTableNames,
    eventBus: localEventBus,
    evidenceBucket,
  });
  const iam = new IamEnforcement(options.policies ? options.policies(structuredClone(resolved)) : resolved);
  const { streamsClient } = await import('#adapters/stream-range');
  for (const client of [
    handlerDynamoClient(),
    (await stepFunctions()).client,
    eventBridgeClient(),
    streamsClient(),
  ])
    iam.enforceOn(client, {
      logicalTable: (physical) => logicalTableNames.get(physical),
      defaultEventBus: localEventBus,
    });
  runtime.iam = iam;
  authorizeObjectsWith((action, key) => iam.authorizeObject(evidenceBucket, action, key));
  for (const client of [handlerDynamoClient(), (await stepFunctions()).client, eventBridgeClient()])
    connectionsPerFunction(client);
  const gateway = new LocalApiGateway(runtime, { throttleScale: options.throttleScale });
  const timeScale = options.timeScale ?? 0.1;
  // The fulfillment child hands back to its parent before the limit the local stack enforces.
  process.env.EXPRESS_CHILD_LIMIT_MS = String(localExpressLimitMs('fulfillment-steps', timeScale));
  const asyncInvoker = new AsyncInvoker(runtime, timeScale);
  const bus = new LocalEventBus(asyncInvoker);
  const lake = (
    Object.entries(deliveryStreams) as [DeliveryStreamName, (typeof deliveryStreams)[DeliveryStreamName]][]
  ).map(([name, spec]) => {
    const stream = new LocalDeliveryStream(runtime, name, spec, lakeDir);
    bus.connectDeliveryStream(spec.pattern, (event) => stream.put(event));
    return stream;
  });
  const sfn = new LocalStepFunctions(projectRoot, runtime, timeScale, new ExecutionStore(doc));
  const lateAnswerMs = (options.downstreamTimeoutMs ?? 1000) * 3;
  const simulators = {
    provisioning: new DownstreamSimulator('provisioning', doc, lateAnswerMs, inFlightWindowMs),
    billing: new DownstreamSimulator('billing', doc, lateAnswerMs, inFlightWindowMs),
  };
  const localQueues = Object.fromEntries(
    Object.entries(queues).map(([name, spec]) => [
      name,
      new LocalQueue(name as QueueName, spec, doc, runtime, spec.visibilityTimeoutSeconds * 1000 * timeScale),
    ]),
  ) as Record<QueueName, LocalQueue>;
  const pollers = streamConsumers.map(
    (c) =>
      new StreamPoller(
        c,
        physicalTableNames[c.table],
        dynamo.endpoint,
        dynamoClient,
        doc,
        runtime,
        undefined,
        c.onFailure
          ? async (record) => {
              await iam.authorizeOnFailure(c.function, c.onFailure!);
              return localQueues[c.onFailure!].send(record);
            }
          : undefined,
        (c.maxBatchingWindowSeconds ?? 0) * 1000 * timeScale,
      ),
  );
  wakeOnWrites(handlerDynamoClient(), pollers);
  const scheduler = new LocalScheduler(runtime, asyncInvoker, schedules, options.scheduleIntervalMs);
  const components: LocalComponents = {
    dynamo,
    runtime,
    gateway,
    bus,
    asyncInvoker,
    lake,
    lakeDir,
    sfn,
    simulators,
    pollers,
    queues: localQueues,
    scheduler,
    readAudit,
    dynamoRequests,
    metrics,
    doc,
    startedAt,
    internalUrl,
    iam,
  };

  const reply = (res: ServerResponse, r: HttpReply) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  };
  const requestOf = (req: IncomingMessage, body: string): HttpRequest => {
    const parsed = new URL(req.url ?? '/', url);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    return {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: parsed.searchParams,
      headers,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    };
  };
  const serve =
    (route: (request: HttpRequest, res: ServerResponse) => Promise<HttpReply | 'handled'>) =>
    async (req: IncomingMessage, res: ServerResponse) => {
      try {
        const body = await readBody(req);
        if (typeof body !== 'string') {
          const answer = gatewayAnswers.REQUEST_TOO_LARGE;
          return reply(res, gatewayError(answer.status, answer.code, answer.message, randomUUID()));
        }
        const answer = await route(requestOf(req, body), res);
        if (answer !== 'handled') reply(res, answer);
      } catch (error) {
        reply(res, gatewayError(500, 'LOCAL_STACK_ERROR', (error as Error).message, randomUUID()));
      }
    };
  routes.set(
    server,
    serve(async (request, res) => {
      const local = request.path.startsWith('/downstream/')
        ? undefined
        : await handleLocalRoute(request, components, res);
      return local ?? gateway.handle(request);
    }),
  );
  routes.set(
    internalServer,
    serve(async (request, res) => {
      const target = request.headers['x-amz-target'];
      if (target) return handleAwsCall(target, request.body, bus, sfn, runtime.faults);
      if (request.path.startsWith('/downstream/'))
        return (
          (await handleLocalRoute(request, components, res)) ??
          gatewayError(404, 'NOT_FOUND', 'No route', randomUUID())
        );
      return gatewayError(404, 'NOT_FOUND', `No route for ${request.path}`, randomUUID());
    }),
  );

  internalReady.resolve();
  const restored = await sfn.restore();
  for (const p of pollers) p.start();
  for (const q of Object.values(localQueues)) q.start();
  scheduler.start();
  // CloudWatch evaluates the alarms and publishes each one entering ALARM to the alarm topic.
  metrics.onAlarm = (alarm) => iam.authorizeAlarmNotification(`${localStackName}-${alarm}`);
  const awsMetrics = setInterval(() => {
    sampleAwsMetrics(metrics, asyncInvoker, pollers);
    metrics.snapshot();
  }, 5_000);
  awsMetrics.unref();
  publicReady.resolve();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      scheduler.stop();
      clearInterval(awsMetrics);
      await Promise.all(pollers.map((p) => p.stop()));
      await Promise.all(Object.values(localQueues).map((q) => q.stop()));
      server.closeAllConnections();
      internalServer.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => internalServer.close(r))]);
      await Promise.race([bus.drain(), new Promise((r) => setTimeout(r, 2000))]);
      await sfn.suspend();
      await Promise.all(lake.map((s) => s.drain()));
      dynamoClient.destroy();
      await dynamo.stop();
      metrics.release();
    })();
    return stopping;
  };

  return {
    url,
    port,
    startupMs: Date.now() - startedAt,
    resumedExecutions: restored.resumed,
    stop,
    components,
  };
};
