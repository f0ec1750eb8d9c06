import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { verifyBearer } from '#plumbing/auth/verify-token';
import { logger } from '#plumbing/observability';

/** Any route for a verified principal; role checks happen in each handler (403 there). */
const allowAll = (methodArn: string): string => {
  const [arnPrefix, apiId, stage] = methodArn.split('/') as [string, string, string];
  return `${arnPrefix}/${apiId}/${stage}/*/*`;
};

export const handler = async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const principal = await verifyBearer(event.authorizationToken);
  if (!principal) {
    logger.info('token rejected');
    throw new Error('Unauthorized');
  }
  return {
    principalId: principal.principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: allowAll(event.methodArn) }],
    },
    context: {
      role: principal.role,
      channelId: principal.channelId,
      ...(principal.approvalLimitPercent ? { approvalLimitPercent: principal.approvalLimitPercent } : {}),
    },
  };
};
