import { JwtVerifier } from 'aws-jwt-verify';
import * as z from 'zod/mini';
import { type Actor, roles } from '#domain/actor';
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

/** A customer region as quotes carry it: printable, no surrounding blanks, at most 64 characters. */
const regionPattern = /^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/;

/** Claims by type: no coercion, so `"100"`, `[50]` or `1e9` as a limit and an empty `sub` are refused. */
const claimsSchema = z.object({
  sub: z.string().check(z.regex(/^[\x21-\x7e]{1,256}$/)),
  role: z.enum(roles),
  channel_id: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)),
  approval_limit_percent: z.optional(z.number().check(z.gt(0), z.lte(100))),
  region: z.optional(z.string().check(z.regex(regionPattern))),
});

/**
 * Role and channel agree with the configuration; only an approver carries an approval limit, only
 * a seller a region.
 */
export const consistentPrincipal = (actor: Actor): Actor | undefined =>
  Object.hasOwn(api.channelRoles, actor.channelId) &&
  api.channelRoles[actor.channelId]?.includes(actor.role) &&
  (actor.approvalLimitPercent === undefined || actor.role === 'approver') &&
  (actor.region === undefined || (actor.role === 'sales' && regionPattern.test(actor.region)))
    ? actor
    : undefined;

export const principalFromClaims = (claims: Record<string, unknown>): Actor | undefined => {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return undefined;
  const { sub, role, channel_id, approval_limit_percent, region } = parsed.data;
  return consistentPrincipal({
    principalId: sub,
    role,
    channelId: channel_id,
    ...(approval_limit_percent === undefined ? {} : { approvalLimitPercent: approval_limit_percent }),
    ...(region === undefined ? {} : { region }),
  });
};

/**
 * RFC 7515 §4.1.11: a recipient must refuse a token whose `crit` names an extension it does not
 * understand; this API understands none (aws-jwt-verify does not look at `crit`).
 */
export const hasCriticalHeader = (token: string): boolean => {
  try {
    const header = JSON.parse(
      Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'),
    ) as unknown;
    return typeof header !== 'object' || header === null || Object.hasOwn(header, 'crit');
  } catch {
    return true;
  }
};

/**
 * Authorization header → principal, or undefined when it proves nothing. The header must match
 * the API's `bearerPattern` exactly as API Gateway's validationRegex does. Development tokens are
 * looked up in a Map (a token named `__proto__` or `constructor` is just unknown); otherwise only
 * signed JWTs with `exp`, a recent `iat`, the configured issuer and audience, no `crit` header, and
 * `sub`, `role` and `channel_id` claims of the right types whose role and channel agree are accepted.
 */
export const verifyBearer = async (authorization: string | undefined): Promise<Actor | undefined> => {
  if (!authorization || !bearer.test(authorization)) return undefined;
  const token = authorization.slice('Bearer '.length);
  if (developmentTokens) {
    const actor = developmentTokens.get(token);
    return actor && consistentPrincipal(actor);
  }
  if (hasCriticalHeader(token)) return undefined;
  const verifier = jwtVerifierFromEnv();
  try {
    const claims = await verifier.verify(token);
    if (tokenTimeProblem(claims, Date.now() / 1000, maxTokenAgeSeconds())) return undefined;
    return principalFromClaims(claims);
  } catch {
    return undefined;
  }
};
