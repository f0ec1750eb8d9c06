import { api } from '#topology';
import { evaluatePolicy, type PolicyDocument } from './gateway-policy.ts';
import type { LambdaRuntime } from './lambda-runtime.ts';

export type AuthorizerResult = {
  principalId: string;
  policyDocument: PolicyDocument;
  context?: Record<string, string | number | boolean>;
  usageIdentifierKey?: string;
};

export type AuthorizerDecision =
  | { kind: 'unauthorized' }
  | { kind: 'denied' }
  | { kind: 'failed'; type: 'AUTHORIZER_FAILURE' | 'AUTHORIZER_CONFIGURATION_ERROR' }
  | { kind: 'allowed'; result: AuthorizerResult };

const bearer = new RegExp(api.bearerPattern);
const maxCachedTokens = 10_000;

/**
 * A TOKEN authorizer as API Gateway runs it: the identity source (Authorization header) must be
 * present and match the validation regex, else 401 without calling the function; the result is
 * cached per header value for the TTL, and the (possibly cached) policy is evaluated against
 * each request's own method ARN.
 */
export class LocalTokenAuthorizer {
  private readonly cache = new Map<string, { result: AuthorizerResult; expiresAt: number }>();
  invocations = 0;

  constructor(
    private readonly runtime: Pick<LambdaRuntime, 'invoke'>,
    private readonly ttlSeconds: number = api.authorizerCacheTtlSeconds,
    private readonly clock: () => number = Date.now,
  ) {}

  async authorize(authorization: string | undefined, methodArn: string): Promise<AuthorizerDecision> {
    if (!authorization || !bearer.test(authorization)) return { kind: 'unauthorized' };
    const result = await this.resultFor(authorization, methodArn);
    if ('kind' in result) return result;
    return evaluatePolicy(result.policyDocument, methodArn) === 'allow'
      ? { kind: 'allowed', result }
      : { kind: 'denied' };
  }

  private async resultFor(
    authorization: string,
    methodArn: string,
  ): Promise<AuthorizerResult | Exclude<AuthorizerDecision, { kind: 'allowed' | 'denied' }>> {
    const cached = this.cache.get(authorization);
    if (cached && cached.expiresAt > this.clock()) return cached.result;
    this.invocations++;
    let result: AuthorizerResult;
    try {
      result = await this.runtime.invoke<AuthorizerResult>(
        api.authorizer,
        {
          type: 'TOKEN',
          authorizationToken: authorization,
          methodArn,
        },
        { apiAuthorizer: true },
      );
    } catch (error) {
      return (error as Error).message === 'Unauthorized'
        ? { kind: 'unauthorized' }
        : { kind: 'failed', type: 'AUTHORIZER_FAILURE' };
    }
    if (typeof result?.principalId !== 'string' || !result.policyDocument)
      return { kind: 'failed', type: 'AUTHORIZER_CONFIGURATION_ERROR' };
    if (this.ttlSeconds > 0) {
      if (this.cache.size >= maxCachedTokens) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(authorization, { result, expiresAt: this.clock() + this.ttlSeconds * 1000 });
    }
    return result;
  }
}
