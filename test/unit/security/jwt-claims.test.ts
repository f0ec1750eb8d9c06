import { generateKeyPairSync, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { jwtVerifierFromEnv, tokenTimeProblem, verifyBearer } from '#plumbing/auth/verify-token';

// A real RS256 key pair: the verifier checks the signature against its JWKS like in AWS.
const issuer = 'https://auth.test.invalid/';
const audience = 'cpq-oms-api';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const jwt = (claims: Record<string, unknown>, extraHeader: Record<string, unknown> = {}) => {
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k1', ...extraHeader })}.${b64(claims)}`;
  return `${head}.${sign('RSA-SHA256', Buffer.from(head), privateKey).toString('base64url')}`;
};
const valid = () => ({
  iss: issuer,
  aud: audience,
  sub: 'user-1',
  role: 'partner',
  channel_id: 'partner-a',
  iat: now() - 10,
  exp: now() + 600,
});

beforeAll(() => {
  Object.assign(process.env, {
    JWT_ISSUER: issuer,
    JWT_AUDIENCE: audience,
    JWKS_URI: 'https://auth.test.invalid/jwks.json',
    JWT_MAX_AGE_SECONDS: '3600',
  });
  jwtVerifierFromEnv().cacheJwks({ keys: [jwk] });
});

describe('JWT verification in the authorizer', () => {
  it('accepts a signed token with issuer, audience, exp and a recent iat', async () => {
    expect(await verifyBearer(`Bearer ${jwt(valid())}`)).toEqual({
      principalId: 'user-1',
      role: 'partner',
      channelId: 'partner-a',
    });
  });

  it.each<[string, (c: Record<string, unknown>) => Record<string, unknown>]>([
    ['without exp', ({ exp: _e, ...c }) => c],
    ['without iat', ({ iat: _i, ...c }) => c],
    ['expired', (c) => ({ ...c, exp: now() - 5 })],
    ['older than the maximum age', (c) => ({ ...c, iat: now() - 3601 })],
    ['issued in the future', (c) => ({ ...c, iat: now() + 600 })],
    ['for another audience', (c) => ({ ...c, aud: 'another-api' })],
    ['from another issuer', (c) => ({ ...c, iss: 'https://evil.invalid/' })],
    ['with an unknown role', (c) => ({ ...c, role: 'admin' })],
    ['without channel_id', ({ channel_id: _c, ...c }) => c],
  ])('refuses a token %s', async (_name, change) => {
    expect(await verifyBearer(`Bearer ${jwt(change(valid()))}`)).toBeUndefined();
  });

  it('accepts an approver of the deal desk with a numeric limit', async () => {
    const approver = { ...valid(), role: 'approver', channel_id: 'deal-desk', approval_limit_percent: 40 };
    expect(await verifyBearer(`Bearer ${jwt(approver)}`)).toEqual({
      principalId: 'user-1',
      role: 'approver',
      channelId: 'deal-desk',
      approvalLimitPercent: 40,
    });
  });

  it('accepts a seller limited to a region, finance and support on their own channels', async () => {
    const seller = { ...valid(), role: 'sales', channel_id: 'sales-portal', region: 'EMEA' };
    expect(await verifyBearer(`Bearer ${jwt(seller)}`)).toEqual({
      principalId: 'user-1',
      role: 'sales',
      channelId: 'sales-portal',
      region: 'EMEA',
    });
    for (const [role, channel_id] of [
      ['finance', 'finance-desk'],
      ['support', 'support-desk'],
    ])
      expect(await verifyBearer(`Bearer ${jwt({ ...valid(), role, channel_id })}`)).toMatchObject({ role });
  });

  const seller = (c: Record<string, unknown>) => ({ ...c, role: 'sales', channel_id: 'sales-portal' });
  it.each<[string, (c: Record<string, unknown>) => Record<string, unknown>]>([
    ['with a region as a number', (c) => ({ ...seller(c), region: 1 })],
    ['with a region as an array', (c) => ({ ...seller(c), region: ['EMEA'] })],
    ['with an empty region', (c) => ({ ...seller(c), region: '' })],
    ['with a region padded with blanks', (c) => ({ ...seller(c), region: ' EMEA' })],
    ['with a region of control characters', (c) => ({ ...seller(c), region: 'EM\nEA' })],
    ['with a region longer than 64 characters', (c) => ({ ...seller(c), region: 'R'.repeat(65) })],
    ['of a partner carrying a region', (c) => ({ ...c, region: 'EMEA' })],
    ['of ops carrying a region', (c) => ({ ...c, role: 'ops', channel_id: 'ops-console', region: 'EMEA' })],
    ['of finance on the ops console', (c) => ({ ...c, role: 'finance', channel_id: 'ops-console' })],
    ['of support on the sales portal', (c) => ({ ...c, role: 'support', channel_id: 'sales-portal' })],
  ])('refuses a token %s', async (_name, change) => {
    expect(await verifyBearer(`Bearer ${jwt(change(valid()))}`)).toBeUndefined();
  });

  const approver = (c: Record<string, unknown>) => ({ ...c, role: 'approver', channel_id: 'deal-desk' });
  it.each<[string, (c: Record<string, unknown>) => Record<string, unknown>]>([
    ['with role ops on a partner channel', (c) => ({ ...c, role: 'ops' })],
    ['of a partner on the sales portal', (c) => ({ ...c, channel_id: 'sales-portal' })],
    ['with an empty channel_id', (c) => ({ ...c, channel_id: '' })],
    ['with a channel the configuration does not know', (c) => ({ ...c, channel_id: 'partner-z' })],
    ['with an empty sub', (c) => ({ ...c, sub: '' })],
    ['with a sub of spaces', (c) => ({ ...c, sub: '   ' })],
    ['with a numeric sub', (c) => ({ ...c, sub: 42 })],
    ['with a limit as a string', (c) => ({ ...approver(c), approval_limit_percent: '100' })],
    ['with a limit as an array', (c) => ({ ...approver(c), approval_limit_percent: [50] })],
    ['with a limit out of range', (c) => ({ ...approver(c), approval_limit_percent: 1e9 })],
    ['with a negative limit', (c) => ({ ...approver(c), approval_limit_percent: -5 })],
    ['of a partner carrying an approval limit', (c) => ({ ...c, approval_limit_percent: 40 })],
  ])('refuses a token %s', async (_name, change) => {
    expect(await verifyBearer(`Bearer ${jwt(change(valid()))}`)).toBeUndefined();
  });

  it('refuses a token with a crit header it cannot honour', async () => {
    expect(await verifyBearer(`Bearer ${jwt(valid(), { crit: ['exp'], exp: 1 })}`)).toBeUndefined();
    expect(await verifyBearer(`Bearer ${jwt(valid(), { crit: [] })}`)).toBeUndefined();
  });

  it('refuses a token whose signature does not match', async () => {
    const token = jwt(valid());
    const tampered = `${token.split('.').slice(0, 2).join('.')}.${'A'.repeat(342)}`;
    expect(await verifyBearer(`Bearer ${tampered}`)).toBeUndefined();
  });

  it('refuses the lower-case scheme exactly as the gateway validation regex does', async () => {
    expect(await verifyBearer(`bearer ${jwt(valid())}`)).toBeUndefined();
  });

  it('names the time problem of a claim set', () => {
    expect(tokenTimeProblem({ exp: 2000, iat: 1000 }, 1500, 3600)).toBeUndefined();
    expect(tokenTimeProblem({ exp: '2000', iat: 1000 }, 1500, 3600)).toBe('exp missing');
    expect(tokenTimeProblem({ exp: 9000, iat: 1000 }, 5000, 3600)).toBe('too old');
  });
});
