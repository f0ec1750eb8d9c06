import { JwtVerifier } from 'aws-jwt-verify';
import { type Actor, type Role, roles } from '#domain/actor';
import { api } from '#topology';

const bearer = new RegExp(api.bearerPattern);

type Verifier = {
  verify: (token: string) => Promise<Record<string, unknown>>;
  cacheJwks: (jwks: unknown) => void;
};
let jwtVerifier: Verifier | undefined;

/** Issuer, audience and JWKS are required configuration: without them nothing is verified. */
const requiredSetting = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Authorizer misconfigured: ${name} is required`);
  return value;
};

/** Oldest token (seconds since `iat`) the authorizer accepts, whatever its `exp` says. */
export const maxTokenAgeSeconds = (): number => Number(process.env.JWT_MAX_AGE_SECONDS ?? 3600);
/** Clock skew tolerated on `iat` (a token issued slightly in the future). */
const skewSeconds = 60;

/**
 * `exp` and `iat` are required (aws-jwt-verify checks `exp` only when present) and the token may
 * be at most `maxAge` seconds old. Returns the reason a token fails, or undefined.
 */
export const tokenTimeProblem = (
  claims: Record<string, unknown>,
  nowSeconds: number,
  maxAge: number,
): string | undefined => {
  const { exp, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'exp missing';
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return 'iat missing';
  if (exp <= nowSeconds) return 'expired';
  if (iat > nowSeconds + skewSeconds) return 'issued in the future';
  if (nowSeconds - iat > maxAge) return 'too old';
  return undefined;
};

export const jwtVerifierFromEnv = (): Verifier => {
  jwtVerifier ??= JwtVerifier.create({
    issuer: requiredSetting('JWT_ISSUER'),
    audience: requiredSetting('JWT_AUDIENCE'),
    jwksUri: requiredSetting('JWKS_URI'),
  }) as unknown as Verifier;
  return jwtVerifier;
};

/** Development tokens, registered by the local stack only; no Lambda bundle contains them. */
let developmentTokens: ReadonlyMap<string, Actor> | undefined;
export const acceptDevelopmentTokens = (tokens: Record<string, Actor>): void => {
  developmentTokens = new Map(Object.entries(tokens));
};

const principalFromClaims = (claims: Record<string, unknown>): Actor | undefined => {
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
};

/**
 * Authorization header → principal, or undefined when it proves nothing. The header must match
 * the API's `bearerPattern` exactly as API Gateway's validationRegex does. Development tokens are
 * looked up in a Map (a token named `__proto__` or `constructor` is just unknown); otherwise only
 * signed JWTs with `exp`, a recent `iat`, the configured issuer and audience, `role` and
 * `channel_id` claims are accepted.
 */
export const verifyBearer = async (authorization: string | undefined): Promise<Actor | undefined> => {
  if (!authorization || !bearer.test(authorization)) return undefined;
  const token = authorization.slice('Bearer '.length);
  if (developmentTokens) return developmentTokens.get(token);
  const verifier = jwtVerifierFromEnv();
  try {
    const claims = await verifier.verify(token);
    if (tokenTimeProblem(claims, Date.now() / 1000, maxTokenAgeSeconds())) return undefined;
    return principalFromClaims(claims);
  } catch {
    return undefined;
  }
};
