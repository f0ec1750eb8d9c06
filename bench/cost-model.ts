/**
 * List prices (us-east-1, on-demand, arm64; checked 2026-11) and the cost of one order from
 * what the bench counted. Everything the bench cannot count (logs, X-Ray, storage, data
 * transfer, CloudWatch metrics) is left out and named in `excluded`.
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
} as const;

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
};

export const costPer1000Orders = (u: PerOrderUsage) => {
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
      'CloudWatch Logs/metrics, X-Ray, DynamoDB storage and streams reads (free for Lambda triggers), data transfer, free tiers',
  };
};
