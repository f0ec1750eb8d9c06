import { api, lambdaLogging, type StateMachineName, stateMachines } from '#topology';

/**
 * List prices (us-east-1, on-demand, arm64; checked 2026-11) and the cost of one order from
 * what the bench counted. What is not billed per order (storage, fixed monthly charges, data
 * transfer) is left out and named in `excluded`.
 */
export const prices = {
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334,
  stepFunctionsStandardTransition: 0.025 / 1000,
  stepFunctionsExpressRequest: 1.0 / 1e6,
  stepFunctionsExpressGbSecond: 0.00001667,
  dynamoWriteRequestUnit: 0.625 / 1e6,
  dynamoReadRequestUnit: 0.125 / 1e6,
  eventBridgeEvent: 1.0 / 1e6,
  apiGatewayRestRequest: 3.5 / 1e6,
  /** Every API request also passes the regional web ACL (rules and ACL-months are fixed costs). */
  wafRequest: 0.6 / 1e6,
  s3PutRequest: 0.005 / 1000,
  /** https://aws.amazon.com/kms/pricing/ (us-east-1): $0.03 per 10,000 requests. */
  kmsRequest: 0.03 / 10_000,
  /** Direct PUT ingestion, billed per record rounded up to the next 5 KB. */
  firehoseIngestedGb: 0.029,
  /** https://aws.amazon.com/cloudwatch/pricing/ Logs, Standard class: $0.50 per GB ingested. */
  cloudWatchLogsIngestedGb: 0.5,
  /** https://aws.amazon.com/xray/pricing/ $5.00 per 1 million traces recorded. */
  xrayTraceRecorded: 5.0 / 1e6,
} as const;

/**
 * Lambda's own lines per invocation (START, END, REPORT with its X-Ray trace line, as active
 * tracing writes them): about 400 bytes, ingested only when the system log level keeps INFO lines
 * (shared/topology.ts `lambdaLogging`; at WARN they are dropped).
 */
export const lambdaPlatformLogBytes = 400;
export const platformLogBytesPerInvocation = (['DEBUG', 'INFO'] as string[]).includes(
  lambdaLogging.systemLogLevel,
)
  ? lambdaPlatformLogBytes
  : 0;
/**
 * X-Ray's default sampling rule: the first request each second and 5 % of the rest. At the
 * volumes these costs matter (many orders a second) the 5 % dominates; quiet, it is cheaper.
 */
export const xraySampledFraction = 0.05;
/**
 * A state machine logging at level ALL (no execution data) logs every history event: about 3 events
 * a state transition (entered, exited; a Task adds scheduled, started, succeeded) of about 350
 * bytes each, ingested into CloudWatch Logs (vended logs, $0.50/GB). At ERROR a run that succeeds
 * logs nothing. The levels are the topology's (the order runs the fulfillment machines).
 */
export const stateMachineLogBytesPerTransition = 3 * 350;
export const loggedBytesPerTransition = (machine: StateMachineName): number =>
  stateMachines[machine].logLevel === 'ALL' ? stateMachineLogBytesPerTransition : 0;

export type PerOrderUsage = {
  apiRequests: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  standardTransitions: number;
  expressRequests: number;
  expressGbSeconds: number;
  dynamoWru: number;
  dynamoRru: number;
  eventBridgeEvents: number;
  /** Evidence records sealed (one conditional S3 PUT each; Object Lock adds no request). */
  evidenceObjects?: number;
  /** Records put to the Firehose delivery streams and their size rounded up to 5 KB each. */
  firehoseRecords?: number;
  firehoseBilledBytes?: number;
  /**
   * The evidence bucket's encryption. SSE-KMS without a Bucket Key costs one KMS request
   * (GenerateDataKey) per object written; with the Bucket Key (deployed: infra/constructs/
   * audit-evidence.ts) S3 asks KMS once per time-limited bucket-level key, shared by every object
   * sealed meanwhile, so no KMS request falls to one order (named in `excluded`).
   */
  evidenceEncryption?: 'SSE-S3' | 'SSE-KMS' | 'SSE-KMS-bucket-key';
  /** State transitions of the Express runs (not billed per transition, but logged like Standard's). */
  expressTransitions?: number;
  /** Bytes of log lines the handlers wrote (EMF metric documents included; platform lines are added). */
  handlerLogBytes?: number;
  /** Invocations by function: those a request or an execution makes run inside its trace. */
  invocationsByFunction?: Record<string, number>;
};

/** Functions that run inside another's trace: behind an API route (and its authorizer), or a state machine's Task. */
const tracedInside = new Set<string>([
  api.authorizer,
  ...api.routes.map((r) => r.function),
  ...Object.values(stateMachines).flatMap((m) => Object.values(m.taskFunctions)),
]);

/**
 * Trace roots an order starts: every API request, and every invocation neither behind a route nor
 * a state machine's Task (stream, queue and bus targets start their own trace; an execution
 * started by a traced function joins its trace). Without the invocations by function, every
 * invocation is counted: an upper bound.
 */
const traceRoots = (u: PerOrderUsage) =>
  u.apiRequests +
  (u.invocationsByFunction
    ? Object.entries(u.invocationsByFunction)
        .filter(([fn]) => !tracedInside.has(fn))
        .reduce((sum, [, n]) => sum + n, 0)
    : u.lambdaInvocations);

export const costPer1000Orders = (u: PerOrderUsage) => {
  // Evidence writer and Firehose transformation invocations are in lambdaInvocations / lambdaGbSeconds.
  const items = {
    apiGateway: u.apiRequests * prices.apiGatewayRestRequest,
    lambdaRequests: u.lambdaInvocations * prices.lambdaRequest,
    lambdaDuration: u.lambdaGbSeconds * prices.lambdaGbSecondArm,
    stepFunctionsStandard: u.standardTransitions * prices.stepFunctionsStandardTransition,
    stepFunctionsExpress:
      u.expressRequests * prices.stepFunctionsExpressRequest +
      u.expressGbSeconds * prices.stepFunctionsExpressGbSecond,
    dynamoDbWrites: u.dynamoWru * prices.dynamoWriteRequestUnit,
    dynamoDbReads: u.dynamoRru * prices.dynamoReadRequestUnit,
    eventBridge: u.eventBridgeEvents * prices.eventBridgeEvent,
    waf: u.apiRequests * prices.wafRequest,
    s3EvidenceRequests: (u.evidenceObjects ?? 0) * prices.s3PutRequest,
    kms: (u.evidenceEncryption === 'SSE-KMS' ? (u.evidenceObjects ?? 0) : 0) * prices.kmsRequest,
    firehose: ((u.firehoseBilledBytes ?? 0) / 1024 ** 3) * prices.firehoseIngestedGb,
    cloudWatchLogs:
      (((u.handlerLogBytes ?? 0) + u.lambdaInvocations * platformLogBytesPerInvocation) / 1024 ** 3) *
      prices.cloudWatchLogsIngestedGb,
    stepFunctionsLogs:
      ((u.standardTransitions * loggedBytesPerTransition('fulfillment') +
        (u.expressTransitions ?? 0) * loggedBytesPerTransition('fulfillment-steps')) /
        1024 ** 3) *
      prices.cloudWatchLogsIngestedGb,
    xray: traceRoots(u) * xraySampledFraction * prices.xrayTraceRecorded,
  };
  const per1000 = Object.fromEntries(
    Object.entries(items).map(([k, v]) => [k, Number((v * 1000).toFixed(4))]),
  );
  const total = Object.values(items).reduce((a, b) => a + b, 0) * 1000;
  return {
    usdPer1000Orders: Number(total.toFixed(3)),
    breakdownUsdPer1000Orders: per1000,
    prices,
    excluded:
      'application log lines at INFO (the bench runs handlers at ERROR; EMF metric documents are counted, and Lambda platform lines when the system log level keeps them), CloudWatch Logs storage, CloudWatch custom metrics (billed per metric per month: the catalog signals and their bounded breakdowns, not per order), alarms and dashboards, X-Ray traces retrieved or scanned (per query, not per order), DynamoDB storage and PITR, DynamoDB Streams reads ($0: free for Lambda triggers, the only readers), S3 storage of evidence (retained under Object Lock) and of the data lake, its server access logs, Athena queries, Glue catalog, Firehose format conversion, WAF web ACL and rule months, KMS key months and the KMS requests of the evidence Bucket Key (one per bucket-key period, not per order), EventBridge Scheduler (the reconciliation and jeopardy schedules are per account, not per order), SQS dead-letter queues (only on failure), data transfer, free tiers',
  };
};
