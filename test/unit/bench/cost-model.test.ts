import { describe, expect, it } from 'vitest';
import { lambdaLogging } from '#topology';
import {
  billedMs,
  endRequest,
  ioLatencyMs,
  serviceOf,
  startRequest,
} from '../../../bench/billed-duration.ts';
import {
  costPer1000Orders,
  lambdaPlatformLogBytes,
  loggedBytesPerTransition,
  type PerOrderUsage,
  platformLogBytesPerInvocation,
  prices,
  stateMachineLogBytesPerTransition,
  xraySampledFraction,
} from '../../../bench/cost-model.ts';

const none: PerOrderUsage = {
  apiRequests: 0,
  lambdaInvocations: 0,
  lambdaGbSeconds: 0,
  standardTransitions: 0,
  expressRequests: 0,
  expressGbSeconds: 0,
  dynamoWru: 0,
  dynamoRru: 0,
  eventBridgeEvents: 0,
};
const cost = (u: Partial<PerOrderUsage>) => costPer1000Orders({ ...none, ...u });

describe('the cost model prices every billed service an order touches, per 1,000 orders', () => {
  it('an API request passes API Gateway and the web ACL, and starts a trace X-Ray samples at 5 %', () => {
    const c = cost({ apiRequests: 1_000 });
    expect(c.breakdownUsdPer1000Orders.apiGateway).toBeCloseTo(3.5, 6);
    expect(c.breakdownUsdPer1000Orders.waf).toBeCloseTo(0.6, 6);
    expect(c.breakdownUsdPer1000Orders.xray).toBeCloseTo(1_000 * 1_000 * xraySampledFraction * 5e-6, 6);
    expect(c.usdPer1000Orders).toBeCloseTo(3.5 + 0.6 + 0.25, 3);
  });

  it('an invocation behind a route or a Task runs in its caller’s trace; a stream or bus target starts one', () => {
    const c = cost({
      apiRequests: 1,
      lambdaInvocations: 4,
      invocationsByFunction: { 'order-create': 1, 'fulfillment-dispatch': 2, projector: 1 },
    });
    // The request and the projector's invocation: two traces of the five.
    expect(c.breakdownUsdPer1000Orders.xray).toBeCloseTo(1_000 * 2 * xraySampledFraction * 5e-6, 6);
  });

  it('an invocation costs its request, its GB-s on arm64, and the platform log lines its system log level keeps', () => {
    const c = cost({ lambdaInvocations: 1_000, lambdaGbSeconds: 0.128 });
    expect(c.breakdownUsdPer1000Orders.lambdaRequests).toBeCloseTo(0.2, 6);
    expect(c.breakdownUsdPer1000Orders.lambdaDuration).toBeCloseTo(0.128 * 0.0000133334 * 1000, 4);
    expect(lambdaLogging.systemLogLevel).toBe('WARN');
    expect(platformLogBytesPerInvocation).toBe(0);
    expect(c.breakdownUsdPer1000Orders.cloudWatchLogs).toBe(0);
    expect(lambdaPlatformLogBytes).toBeGreaterThan(0);
  });

  it('handler log bytes are ingested at $0.50 per GB', () => {
    expect(cost({ handlerLogBytes: 1024 ** 3 / 1000 }).breakdownUsdPer1000Orders.cloudWatchLogs).toBeCloseTo(
      0.5,
      6,
    );
  });

  it('Step Functions bills Standard per transition and Express per request and GB-s', () => {
    const c = cost({ standardTransitions: 40, expressRequests: 2, expressGbSeconds: 0.5 });
    expect(c.breakdownUsdPer1000Orders.stepFunctionsStandard).toBeCloseTo(1.0, 6);
    expect(c.breakdownUsdPer1000Orders.stepFunctionsExpress).toBeCloseTo(0.002 + 0.5 * 0.00001667 * 1000, 4);
  });

  it('the Express steps are logged at level ALL; a Standard run that succeeds logs nothing at ERROR', () => {
    expect(loggedBytesPerTransition('fulfillment-steps')).toBe(stateMachineLogBytesPerTransition);
    expect(loggedBytesPerTransition('fulfillment')).toBe(0);
    const c = cost({ standardTransitions: 3_000, expressTransitions: 7_000 });
    expect(c.breakdownUsdPer1000Orders.stepFunctionsLogs).toBeCloseTo(
      ((7_000 * stateMachineLogBytesPerTransition * 1000) / 1024 ** 3) * 0.5,
      4,
    );
  });

  it('DynamoDB bills request units; EventBridge events; Firehose its 5 KB steps; S3 one PUT per evidence record', () => {
    const c = cost({
      dynamoWru: 200,
      dynamoRru: 40,
      eventBridgeEvents: 10,
      firehoseBilledBytes: 5120 * 4,
      evidenceObjects: 4,
    });
    expect(c.breakdownUsdPer1000Orders.dynamoDbWrites).toBeCloseTo(0.125, 6);
    expect(c.breakdownUsdPer1000Orders.dynamoDbReads).toBeCloseTo(0.005, 6);
    expect(c.breakdownUsdPer1000Orders.eventBridge).toBeCloseTo(0.01, 6);
    expect(c.breakdownUsdPer1000Orders.firehose).toBeCloseTo(((5120 * 4 * 1000) / 1024 ** 3) * 0.029, 4);
    expect(c.breakdownUsdPer1000Orders.s3EvidenceRequests).toBeCloseTo(0.02, 6);
  });

  it('KMS is a request per evidence record only without the Bucket Key', () => {
    expect(
      cost({ evidenceObjects: 4, evidenceEncryption: 'SSE-KMS' }).breakdownUsdPer1000Orders.kms,
    ).toBeCloseTo(4 * prices.kmsRequest * 1000, 6);
    expect(
      cost({ evidenceObjects: 4, evidenceEncryption: 'SSE-KMS-bucket-key' }).breakdownUsdPer1000Orders.kms,
    ).toBe(0);
  });

  it('the total is the sum of its parts and names what it leaves out', () => {
    const c = cost({
      apiRequests: 5,
      lambdaInvocations: 30,
      lambdaGbSeconds: 1,
      dynamoWru: 201,
      standardTransitions: 3,
    });
    const sum = Object.values(c.breakdownUsdPer1000Orders).reduce((a, b) => a + b, 0);
    expect(c.usdPer1000Orders).toBeCloseTo(sum, 2);
    for (const named of ['CloudWatch Logs storage', 'custom metrics', 'DynamoDB Streams', 'data transfer'])
      expect(c.excluded).toContain(named);
  });
});

describe('billed Lambda duration: own CPU time plus modelled I/O', () => {
  const account = () => ({ cpuMicros: 0, ioMs: 0, requests: 0, outstanding: 0, waveMs: 0 });

  it('requests that overlap cost their slowest member; requests one after another add up', () => {
    const a = account();
    startRequest(a, 'dynamodb');
    startRequest(a, 's3');
    endRequest(a);
    endRequest(a);
    startRequest(a, 'dynamodb');
    endRequest(a);
    expect(a.ioMs).toBe(ioLatencyMs.s3 + ioLatencyMs.dynamodb);
    expect(a.requests).toBe(3);
  });

  it('rounds CPU plus I/O up to the millisecond, at least 1 ms', () => {
    expect(billedMs({ cpuMicros: 2_100, ioMs: 5, requests: 1 })).toBe(8);
    expect(billedMs({ cpuMicros: 10, ioMs: 0, requests: 0 })).toBe(1);
  });

  it('names the service of a request from its target header or signing scope', () => {
    expect(serviceOf('DynamoDB_20120810.TransactWriteItems', undefined)).toBe('dynamodb');
    expect(serviceOf('AWSEvents.PutEvents', undefined)).toBe('eventbridge');
    expect(serviceOf('AWSStepFunctions.StartExecution', undefined)).toBe('stepfunctions');
    expect(serviceOf(undefined, 'AWS4-HMAC-SHA256 Credential=x/20261207/us-east-1/s3/aws4_request')).toBe(
      's3',
    );
    expect(serviceOf(undefined, undefined)).toBe('http');
  });
});
