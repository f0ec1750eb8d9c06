import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type Actor, type Role, roles } from '#domain/actor';

/**
 * The authorizer puts the principal in the request context; API Gateway forwards it. Anything
 * missing means the route was wired without the authorizer: a defect, not a client error.
 */
export const principalOf = (event: APIGatewayProxyEvent): Actor => {
  const ctx = (event.requestContext?.authorizer ?? {}) as Record<string, unknown>;
  const role = ctx.role as Role;
  if (typeof ctx.principalId !== 'string' || !roles.includes(role) || typeof ctx.channelId !== 'string') {
    throw new Error('Request reached a protected handler without an authorized principal');
  }
  const limit = Number(ctx.approvalLimitPercent);
  return {
    principalId: ctx.principalId,
    role,
    channelId: ctx.channelId,
    ...(Number.isFinite(limit) && limit > 0 ? { approvalLimitPercent: limit } : {}),
    ...(role === 'sales' && typeof ctx.region === 'string' && ctx.region ? { region: ctx.region } : {}),
  };
};
