import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import {
  apiAnswerHeaders,
  type GatewayAnswerType,
  gatewayAnswers,
  gatewayErrorBody,
} from '#plumbing/http/gateway-responses';

/**
 * API Gateway's own answers (unknown route, missing token, throttled, integration failure, ...)
 * in the contract's error shape; the correlation id is the gateway's request id, in the body and
 * the X-Correlation-Id header. The local gateway answers from the same table.
 */
export const addGatewayResponses = (restApi: apigateway.RestApi): void => {
  for (const [type, answer] of Object.entries(gatewayAnswers) as [
    GatewayAnswerType,
    (typeof gatewayAnswers)[GatewayAnswerType],
  ][]) {
    const throttled = answer.status === 429;
    restApi.addGatewayResponse(`Answer-${type}`, {
      type: apigateway.ResponseType.of(type),
      statusCode: String(answer.status),
      responseHeaders: {
        'Content-Type': "'application/json'",
        'X-Correlation-Id': 'context.requestId',
        // Static header values are quoted in a GatewayResponse mapping.
        ...Object.fromEntries(Object.entries(apiAnswerHeaders).map(([k, v]) => [k, `'${v}'`])),
        ...(throttled ? { 'Retry-After': "'1'" } : {}),
      },
      templates: { 'application/json': JSON.stringify(gatewayErrorBody(answer, '$context.requestId')) },
    });
  }
};
