import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '#functions/api/authorizer';
import { devTokens } from '#local/dev-tokens';
import { evaluatePolicy, iamWildcardMatch, methodArnOf, type PolicyDocument } from '#local/gateway-policy';
import { acceptDevelopmentTokens } from '#plumbing/auth/verify-token';
import { api, usageKeyOf } from '#topology';

// A realistic deployment: API id, stage, region and account as API Gateway writes them.
const arn = (method: string, path: string, apiId = 'abc123', stage = api.stage) =>
  methodArnOf('us-east-1', '123456789012', apiId, stage, method, path);
/** A concrete request path of a route: each `{param}` gets a plausible id. */
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_m, name: string) => `${name}-7f3a`);
const protectedRoutes = api.routes.filter((r) => !r.public);

const authorize = async (token: string, methodArn: string) =>
  (await handler({
    type: 'TOKEN',
    authorizationToken: `Bearer ${token}`,
    methodArn,
  } satisfies APIGatewayTokenAuthorizerEvent)) as {
    policyDocument: PolicyDocument;
    usageIdentifierKey: string;
    context: Record<string, unknown>;
  };

beforeAll(() => acceptDevelopmentTokens(devTokens));

describe('IAM wildcard matching as API Gateway evaluates execute-api:Invoke', () => {
  it.each([
    [
      'arn:aws:execute-api:us-east-1:1:abc/prod/*',
      'arn:aws:execute-api:us-east-1:1:abc/prod/GET/catalog',
      true,
    ],
    [
      'arn:aws:execute-api:us-east-1:1:abc/prod/*',
      'arn:aws:execute-api:us-east-1:1:abc/prod/POST/quotes/q-1/price',
      true,
    ],
    [
      'arn:aws:execute-api:us-east-1:1:abc/prod/GET/*/*',
      'arn:aws:execute-api:us-east-1:1:abc/prod/GET/catalog',
      false,
    ],
    [
      'arn:aws:execute-api:us-east-1:1:abc/prod/GET/*',
      'arn:aws:execute-api:us-east-1:1:abc/prod/GET/quotes/q-1',
      true,
    ],
    [
      'arn:aws:execute-api:us-east-1:1:abc/prod/G?T/catalog',
      'arn:aws:execute-api:us-east-1:1:abc/prod/GET/catalog',
      true,
    ],
    [
      'arn:aws:execute-api:us-east-1:1:abc/prod/*',
      'arn:aws:execute-api:us-east-1:1:abc/test/GET/catalog',
      false,
    ],
    [
      'arn:aws:execute-api:us-east-1:1:abc/prod/GET/catalog',
      'arn:aws:execute-api:us-east-1:1:abc/prod/GET/catalogX',
      false,
    ],
    ['arn:aws:execute-api:*:*:abc/*', 'arn:aws:execute-api:eu-west-1:2:abc/prod/GET/x', true],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    expect(iamWildcardMatch(pattern, value)).toBe(expected);
  });

  it('lets an explicit Deny win over any Allow, and denies when nothing matches', () => {
    const methodArn = arn('POST', '/quotes');
    const allow = {
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*',
    };
    const deny = { Effect: 'Deny', Action: 'execute-api:*', Resource: [arn('POST', '/quotes')] };
    expect(evaluatePolicy({ Statement: [allow] }, methodArn)).toBe('allow');
    expect(evaluatePolicy({ Statement: [allow, deny] }, methodArn)).toBe('deny');
    expect(evaluatePolicy({ Statement: [deny, allow] }, arn('GET', '/catalog'))).toBe('allow');
    expect(evaluatePolicy({ Statement: [] }, methodArn)).toBe('deny');
    expect(evaluatePolicy({ Statement: { ...allow, Action: 's3:GetObject' } }, methodArn)).toBe('deny');
  });

  it('denies GET /catalog under the policy the authorizer used to return (…/GET/*/*)', () => {
    const old = {
      Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn('GET', '/*/*') }],
    };
    expect(evaluatePolicy(old, arn('GET', '/catalog'))).toBe('deny');
    expect(evaluatePolicy(old, arn('POST', '/quotes'))).toBe('deny');
  });
});

describe('the authorizer policy over every route of the topology (realistic method ARNs)', () => {
  it.each(protectedRoutes.map((r) => [r.method, r.path] as const))(
    'a token first used on %s %s is allowed on every route of the API and stage (the cached policy)',
    async (method, path) => {
      const result = await authorize('local-partner-a', arn(method, concrete(path)));
      for (const other of protectedRoutes) {
        expect(
          evaluatePolicy(result.policyDocument, arn(other.method, concrete(other.path))),
          `${other.method} ${other.path}`,
        ).toBe('allow');
      }
      // …and on nothing outside this API and stage.
      expect(evaluatePolicy(result.policyDocument, arn(method, concrete(path), 'other9', api.stage))).toBe(
        'deny',
      );
      expect(evaluatePolicy(result.policyDocument, arn(method, concrete(path), 'abc123', 'test'))).toBe(
        'deny',
      );
    },
  );

  it('returns the channel usage identifier key and the principal context', async () => {
    const result = await authorize('local-approver', arn('GET', '/views/approval-inbox'));
    expect(result.usageIdentifierKey).toBe(usageKeyOf('deal-desk'));
    expect(result.context).toEqual({ role: 'approver', channelId: 'deal-desk', approvalLimitPercent: 40 });
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'nope'])(
    'refuses the token %s as Unauthorized (a 401, never a 500)',
    async (token) => {
      await expect(authorize(token, arn('GET', '/catalog'))).rejects.toThrow('Unauthorized');
    },
  );

  it.each([
    'bearer local-sales',
    'Bearer  local-sales',
    'Basic local-sales',
    'Bearer local sales',
    'local-sales',
  ])(
    'refuses the header %j: only the exact Bearer scheme of the validation regex is accepted',
    async (header) => {
      await expect(
        handler({ type: 'TOKEN', authorizationToken: header, methodArn: arn('GET', '/catalog') }),
      ).rejects.toThrow('Unauthorized');
      expect(new RegExp(api.bearerPattern).test(header)).toBe(false);
    },
  );
});
