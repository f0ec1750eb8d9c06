import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { acceptDevelopmentTokens } from '#plumbing/auth/verify-token';
import { dynamoClient as handlerDynamoClient } from '#plumbing/clients';
import { eventBridgeClient } from '#plumbing/event-bridge-client';
import { stepFunctions } from '#plumbing/sfn-client';
import {
  type DeliveryStreamName,
  deliveryStreams,
  type QueueName,
  queues,
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
import { ensureTables, type LocalDynamo, seedApproverAuthority, startDynamo } from './dynamo.ts';
import { injectTableFaults } from './dynamo-faults.ts';
import { DynamoRequests } from './dynamo-requests.ts';
import { LocalEventBus } from './event-bus.ts';
import { ExecutionStore, executionTable } from './execution-store.ts';
import { authorizeObjectsWith } from './file-evidence-store.ts';
import { connectionsPerFunction } from './function-connections.ts';
import { handlerEnvironment, projectRoot } from './handler-env.ts';
import { freePort } from './http-servers.ts';
import { IamEnforcement } from './iam-enforcement.ts';
import { invocationScope } from './invocation-scope.ts';
import { LambdaRuntime } from './lambda-runtime.ts';
import { localCredentials, localRegion } from './local-aws.ts';
import { LocalQueue, queueTable } from './local-queue.ts';
import { MetricsSink } from './metrics-sink.ts';
import { ReadAudit } from './read-audit.ts';
import { LocalScheduler } from './scheduler.ts';
import { DownstreamSimulator, simulatorTable, simulatorTableSpec } from './simulators.ts';
import {
  defaultInFlightWindowMs,
  evidenceBucket,
  type LocalStackOptions,
  localEventBus,
  physicalTableNames,
} from './stack-options.ts';
import { LocalStepFunctions, localExpressLimitMs } from './step-functions.ts';
import { deliverImagesAsAws } from './stream-images.ts';
import { checkpointTable, StreamPoller, wakeOnWrites } from './stream-poller.ts';
import { resolvedPolicies } from './template-policies.ts';
import { TransactionBilling } from './transaction-billing.ts';

const logicalTableNames = new Map(
  Object.entries(physicalTableNames).map(([logical, physical]) => [physical, logical as TableName]),
);

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

  Object.assign(
    process.env,
    handlerEnvironment(options, { url, internalUrl, dynamoEndpoint: dynamo.endpoint, lakeDir, evidenceDir }),
  );
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
  await seedApproverAuthority(doc, physicalTableNames.aggregates, devTokens);

  // The handlers' own client (one per runtime, as in Lambda): full reads by request handlers are recorded.
  const readAudit = new ReadAudit();
  readAudit.install(handlerDynamoClient());
  const runtime = new LambdaRuntime(projectRoot);
  await runtime.preload();
  // After preload: the request scope of the handlers' own module instance (loaded with their env).
  const { currentCorrelationId } = await import('#plumbing/http/api-handler');
  const { scopeBlueprints } = await import('#adapters/order-blueprints');
  scopeBlueprints(() => invocationScope.getStore() ?? '');
  const specOf = (physical: string) => {
    const logical = logicalTableNames.get(physical);
    return logical ? tables[logical] : undefined;
  };
  const dynamoRequests = new DynamoRequests(
    handlerDynamoClient(),
    currentCorrelationId,
    options.billTransactions ? new TransactionBilling(dynamoClient, specOf) : undefined,
  );
  injectTableFaults(handlerDynamoClient(), runtime.faults, (physical) => logicalTableNames.get(physical));
  const resolved = await resolvedPolicies({
    tables: physicalTableNames,
    eventBus: localEventBus,
    evidenceBucket,
  });
  const iam = new IamEnforcement(options.policies ? options.policies(structuredClone(resolved)) : resolved);
  const { streamsClient } = await import('#adapters/stream-range');
  deliverImagesAsAws(streamsClient());
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
  // Downstream time (catalog task timers, simulated work) is compressed by its own scale, the stack's by default.
  const downstreamTimeScale = options.downstreamTimeScale ?? timeScale;
  process.env.DOWNSTREAM_TIME_SCALE = String(downstreamTimeScale);
  const callbacks = (token: string) => ({ url, token, timeScale: downstreamTimeScale });
  const simulators = {
    provisioning: new DownstreamSimulator(
      'provisioning',
      doc,
      lateAnswerMs,
      inFlightWindowMs,
      callbacks('local-provisioning'),
    ),
    billing: new DownstreamSimulator(
      'billing',
      doc,
      lateAnswerMs,
      inFlightWindowMs,
      callbacks('local-billing'),
    ),
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
