import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QueueName } from '#topology';
import type { LocalApiGateway } from './api-gateway.ts';
import type { AsyncInvoker } from './async-invoker.ts';
import type { LocalDeliveryStream } from './delivery-stream.ts';
import type { LocalDynamo } from './dynamo.ts';
import type { DynamoRequests } from './dynamo-requests.ts';
import type { LocalEventBus } from './event-bus.ts';
import type { IamEnforcement } from './iam-enforcement.ts';
import type { LambdaRuntime } from './lambda-runtime.ts';
import type { LocalQueue } from './local-queue.ts';
import type { MetricsSink } from './metrics-sink.ts';
import type { ReadAudit } from './read-audit.ts';
import type { LocalScheduler } from './scheduler.ts';
import type { DownstreamSimulator } from './simulators.ts';
import type { LocalStepFunctions } from './step-functions.ts';
import type { StreamPoller } from './stream-poller.ts';

/**
 * The parts of a running local stack, as its routes and tests see them. Declared here, not
 * inferred from the start-up function, so the routes depend on the parts and not on the start-up.
 */
export type LocalComponents = {
  dynamo: LocalDynamo;
  runtime: LambdaRuntime;
  gateway: LocalApiGateway;
  bus: LocalEventBus;
  asyncInvoker: AsyncInvoker;
  lake: LocalDeliveryStream[];
  lakeDir: string;
  sfn: LocalStepFunctions;
  simulators: { provisioning: DownstreamSimulator; billing: DownstreamSimulator };
  pollers: StreamPoller[];
  queues: Record<QueueName, LocalQueue>;
  scheduler: LocalScheduler;
  readAudit: ReadAudit;
  dynamoRequests: DynamoRequests;
  metrics: MetricsSink;
  doc: DynamoDBDocumentClient;
  startedAt: number;
  internalUrl: string;
  iam: IamEnforcement;
  /** Stopped with the stack. */
  dynamoClient: DynamoDBClient;
};
