import { JwtVerifier } from 'aws-jwt-verify';
import type { Actor, Role } from '#domain/actor';
import { devTokens } from './dev-tokens.ts';

const roles: readonly Role[] = ['partner', 'sales', 'approver', 'ops'];

type Verifier = { verify: (token: string) => Promise<Record<string, unknown>> };
let jwtVerifier: Verifier | undefined;

const verifier = (): Verifier => {
  jwtVerifier ??= JwtVerifier.create({
    issuer: process.env.JWT_ISSUER ?? '',
    audience: process.env.JWT_AUDIENCE ?? null,
    jwksUri: process.env.JWKS_URI,
  }) as unknown as Verifier;
  return jwtVerifier;
};

/**
 * Bearer token → principal, or undefined when the token proves nothing. Local development
 * tokens exist only when the stack runs with AUTH_MODE=local-tokens; in AWS only signed JWTs
 * with `role` and `channel_id` claims are accepted.
 */
export const verifyBearer = async (authorization: string | undefined): Promise<Actor | undefined> => {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization ?? '');
  const token = match?.[1];
  if (!token) return undefined;
  if (process.env.AUTH_MODE === 'local-tokens') return devTokens[token];
  try {
    const claims = await verifier().verify(token);
    const role = claims.role as Role;
    if (!roles.includes(role) || typeof claims.channel_id !== 'string' || typeof claims.sub !== 'string')
      return undefined;
    const limit = Number(claims.approval_limit_percent);
    return {
      principalId: claims.sub,
      role,
      channelId: claims.channel_id,
      ...(Number.isFinite(limit) && limit > 0 ? { approvalLimitPercent: limit } : {}),
    };
  } catch {
    return undefined;
  }
};
