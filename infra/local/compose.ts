import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { acceptDevelopmentTokens } from '#plumbing/auth/verify-token';
import { dynamoClient as handlerDynamoClient } from '#plumbing/clients';
import { eventBridgeClient } from '#plumbing/event-bridge-client';
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
import { LocalApiGateway } from './api-gateway.ts';
import { AsyncInvoker } from './async-invoker.ts';
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
import { freePort } from './http-servers.ts';
import { IamEnforcement } from './iam-enforcement.ts';
import { LambdaRuntime } from './lambda-runtime.ts';
import { localCredentials, localRegion, localStateMachineArn } from './local-aws.ts';
import { LocalQueue, queueTable } from './local-queue.ts';
import { MetricsSink } from './metrics-sink.ts';
import { ReadAudit } from './read-audit.ts';
import { LocalScheduler } from './scheduler.ts';
import { DownstreamSimulator, simulatorTable, simulatorTableSpec } from './simulators.ts';
import { LocalStepFunctions, localExpressLimitMs } from './step-functions.ts';
import { checkpointTable, StreamPoller, wakeOnWrites } from './stream-poller.ts';
import { type ResolvedPolicies, resolvedPolicies } from './template-policies.ts';

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

/** Where the stack already listens (the handlers' environment names both URLs), and since when. */
export type ListeningAt = { url: string; internalUrl: string; startedAt: number };

/** Builds and wires every part of the local stack; nothing polls, schedules or answers yet. */
export const composeLocalStack = async (
  options: LocalStackOptions,
  at: ListeningAt,
): Promise<LocalComponents> => {
  const metrics = new MetricsSink();
  const dynamo: LocalDynamo = await startDynamo({ port: await freePort(), dataDir: options.dataDir });
  const { url, internalUrl, startedAt } = at;
  const inFlightWindowMs = options.downstreamInFlightWindowMs ?? defaultInFlightWindowMs;
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
    dynamoClient,
  };
  return components;
};
