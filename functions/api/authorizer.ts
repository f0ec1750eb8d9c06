import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { verifyBearer } from '#plumbing/auth/verify-token';
import { logger } from '#plumbing/observability';
import { resourceEnv, usageKeyOf } from '#topology';

/**
 * Every method of this API and stage: API Gateway caches the result per token and applies the
 * cached policy to whatever method the token calls next, so it must cover the whole API. Role
 * checks happen in each handler (403 there).
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}` → `…:{apiId}/{stage}/*`
 */
export const wholeApiResource = (methodArn: string): string => {
  const [apiArn, stage] = methodArn.split('/');
  return `${apiArn}/${stage}/*`;
};

export const handler = async (
  event: APIGatewayTokenAuthorizerEvent,
): Promise<APIGatewayAuthorizerResult & { usageIdentifierKey: string }> => {
  const principal = await verifyBearer(event.authorizationToken);
  if (!principal) {
    logger.info('token rejected');
    throw new Error('Unauthorized');
  }
  return {
    principalId: principal.principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApiResource(event.methodArn) },
      ],
    },
    // The channel's usage plan (throttle and quota) applies to every request of this principal.
    usageIdentifierKey: usageKeyOf(principal.channelId, process.env[resourceEnv.usageKeyNamespace]),
    context: {
      role: principal.role,
      channelId: principal.channelId,
      ...(principal.approvalLimitPercent ? { approvalLimitPercent: principal.approvalLimitPercent } : {}),
      ...(principal.region ? { region: principal.region } : {}),
    },
  };
};
