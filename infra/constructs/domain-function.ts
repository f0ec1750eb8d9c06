import path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  defaultFunctionTimeoutSeconds,
  sdkRequestTimeoutEnv,
  sdkRequestTimeoutMs,
} from '#plumbing/sdk-timeouts';
import {
  api,
  deliveryStreams,
  eventRules,
  type FunctionName,
  type FunctionSpec,
  lambdaLogging,
  queues,
  schedules,
  stateMachines,
  streamConsumers,
} from '#topology';
import { bundling } from '../bundling.ts';
import { acknowledge } from './nag.ts';

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * A function DLQ only catches failed asynchronous invocations. Why this function has none: how
 * the topology invokes it, and where its failures go instead.
 */
const noFunctionDlqReason = (name: FunctionName): string => {
  if (name === api.authorizer || api.routes.some((r) => r.function === name))
    return 'Invoked synchronously by API Gateway: the caller gets the error; a DLQ would never receive anything.';
  if (Object.values(stateMachines).some((m) => Object.values(m.taskFunctions).includes(name)))
    return 'Invoked synchronously as a Step Functions task: retries and fallout are in the state machine.';
  if (streamConsumers.some((c) => c.function === name))
    return 'Stream consumer: failed batches go to the event source mapping on-failure destination (an SQS DLQ).';
  if (eventRules.some((r) => r.target.function === name) || schedules.some((s) => s.target.function === name))
    return 'Invoked asynchronously by an EventBridge rule or schedule: failed events go to its on-failure destination queue (async-destinations.ts).';
  if (Object.values(queues).some((q) => q.consumer === name))
    return 'SQS queue consumer (synchronous poll): a failed message returns after the visibility timeout, then goes to the queue’s own DLQ.';
  if (Object.values(deliveryStreams).some((d) => d.processor === name))
    return "Invoked synchronously by Kinesis Data Firehose as its record transformation: failed records go to the stream's errors/ prefix.";
  throw new Error(`${name} has no invocation in the topology; give it a DLQ or a route`);
};

export type DomainFunctionProps = {
  name: FunctionName;
  spec: FunctionSpec;
  /** This deployment's reservation (`reservedConcurrencyOf`); none when undefined. */
  reservedConcurrency?: number;
  /** Resource wiring for this function only; merged over the fixed Powertools settings. */
  environment?: Record<string, string>;
};

/**
 * Every Lambda of the service: runtime, architecture, bundling, log group, tracing and
 * Powertools settings are fixed here, so a function's definition says only what is special.
 */
export class DomainFunction extends NodejsFunction {
  readonly functionKey: FunctionName;

  constructor(scope: Construct, id: string, props: DomainFunctionProps) {
    const { name, spec } = props;
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
    // Own role instead of the AWSLambdaBasicExecutionRole managed policy: writes to its own log group only.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${name}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: path.join(projectRoot, spec.entry),
      handler: 'handler',
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? defaultFunctionTimeoutSeconds),
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat[lambdaLogging.format],
      systemLogLevelV2: lambda.SystemLogLevel[lambdaLogging.systemLogLevel],
      applicationLogLevelV2: lambda.ApplicationLogLevel[lambdaLogging.applicationLogLevel],
      role,
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'cpq-oms',
        POWERTOOLS_METRICS_NAMESPACE: 'CpqOms',
        POWERTOOLS_LOG_LEVEL: lambdaLogging.applicationLogLevel,
        [sdkRequestTimeoutEnv]: String(
          sdkRequestTimeoutMs(spec.timeoutSeconds ?? defaultFunctionTimeoutSeconds),
        ),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: bundling.target,
        mainFields: [...bundling.mainFields],
        externalModules: [...bundling.externalModules],
        minify: bundling.minify,
        sourceMap: bundling.sourceMap,
        sourceMapMode: SourceMapMode.DEFAULT,
        banner: bundling.banner,
        // Files the handler reads (the ops console's static files, the KPI SQL) ship beside the bundle.
        ...(spec.assetsDir
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [
                  `mkdir -p "${path.dirname(path.join(outputDir, spec.assetsDir!))}"`,
                  `cp -r "${path.join(inputDir, spec.assetsDir!)}" "${path.join(outputDir, spec.assetsDir!)}"`,
                ],
              },
            }
          : {}),
      },
    });
    this.functionKey = name;

    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Only actions without resource-level permissions use "*": X-Ray PutTraceSegments/PutTelemetryRecords ' +
        '(active tracing) and dynamodb:ListStreams (stream consumers); test/infra asserts exactly this.',
    );
    acknowledge(
      this,
      'Serverless-LambdaLatestVersion',
      'nodejs22.x is pinned on purpose, like AwsSolutions-L1: the local stack and tests run the same Node 22.',
    );
    acknowledge(this, 'Serverless-LambdaDLQ', noFunctionDlqReason(name));
    acknowledge(
      this,
      'AwsSolutions-L1',
      'nodejs22.x is pinned on purpose: the local stack and tests run on Node 22 (docs/architecture.md); upgrade both together.',
    );
  }
}
