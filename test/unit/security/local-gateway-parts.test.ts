import { describe, expect, it } from 'vitest';
import { LocalTokenAuthorizer } from '#local/token-authorizer';
import { UsagePlans } from '#local/usage-plans';
import { jsonNestsDeeperThan } from '#plumbing/http/request';
import { api } from '#topology';

const arn = (method: string, path: string) =>
  `arn:aws:execute-api:us-east-1:000000000000:localapi01/${api.stage}/${method}${path}`;

/** An authorizer function double that counts calls and returns the policy it is given. */
const authorizerFn = (resource: (methodArn: string) => string) => {
  const calls: string[] = [];
  return {
    calls,
    invoke: async <R>(_name: string, event: unknown): Promise<R> => {
      const { authorizationToken, methodArn } = event as { authorizationToken: string; methodArn: string };
      calls.push(methodArn);
      if (authorizationToken === 'Bearer bad') throw new Error('Unauthorized');
      return {
        principalId: 'p',
        policyDocument: {
          Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resource(methodArn) }],
        },
        usageIdentifierKey: 'k',
      } as R;
    },
  };
};

describe('local TOKEN authorizer: cache key, TTL and policy evaluation', () => {
  it('calls the function once per Authorization value within the TTL and applies the cached policy to each method', async () => {
    let clock = 0;
    const fn = authorizerFn((m) => `${m.split('/').slice(0, 2).join('/')}/*`);
    const authorizer = new LocalTokenAuthorizer(fn, 300, () => clock);
    expect((await authorizer.authorize('Bearer a', arn('GET', '/catalog'))).kind).toBe('allowed');
    expect((await authorizer.authorize('Bearer a', arn('POST', '/quotes'))).kind).toBe('allowed');
    expect(fn.calls).toHaveLength(1);
    expect((await authorizer.authorize('Bearer b', arn('POST', '/quotes'))).kind).toBe('allowed');
    expect(fn.calls).toHaveLength(2);
    clock = 300_001;
    await authorizer.authorize('Bearer a', arn('GET', '/catalog'));
    expect(fn.calls).toHaveLength(3);
  });

  it('denies (403) the next method when a cached policy names only the first one', async () => {
    const fn = authorizerFn((m) => m);
    const authorizer = new LocalTokenAuthorizer(fn, 300);
    expect((await authorizer.authorize('Bearer a', arn('GET', '/catalog'))).kind).toBe('allowed');
    expect((await authorizer.authorize('Bearer a', arn('POST', '/quotes'))).kind).toBe('denied');
  });

  it('answers 401 without calling the function for a missing or non-Bearer header', async () => {
    const fn = authorizerFn((m) => m);
    const authorizer = new LocalTokenAuthorizer(fn, 300);
    for (const header of [undefined, '', 'bearer x', 'Basic x', 'Bearer a b'])
      expect((await authorizer.authorize(header, arn('GET', '/catalog'))).kind).toBe('unauthorized');
    expect(fn.calls).toHaveLength(0);
    expect((await authorizer.authorize('Bearer bad', arn('GET', '/catalog'))).kind).toBe('unauthorized');
  });
});

type Throttle = { rateLimit: number; burstLimit: number };
/** One key's plan (quota 100/day) with a method throttle of its own. */
const planWithMethodThrottle = (route: string, plan: Throttle, method: Throttle) =>
  new Map([['k', { ...plan, quotaPerDay: 100, methods: { [route]: method } }]]);

describe('local usage plans (per-channel throttle and quota)', () => {
  const plans = new Map([['k', { rateLimit: 2, burstLimit: 4, quotaPerDay: 10 }]]);

  it('serves the burst, then answers with the seconds until a token is back', () => {
    let clock = Date.parse('2026-01-01T10:00:00Z');
    const usage = new UsagePlans(plans, 1, () => clock);
    for (let i = 0; i < 4; i++) expect(usage.take('k').ok).toBe(true);
    expect(usage.take('k')).toEqual({ ok: false, code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 1 });
    clock += 500;
    expect(usage.take('k').ok).toBe(true);
  });

  it('stops a channel at its daily quota until the next UTC day', () => {
    let clock = Date.parse('2026-01-01T23:00:00Z');
    const usage = new UsagePlans(plans, 1, () => clock);
    for (let i = 0; i < 10; i++) {
      clock += 1000;
      expect(usage.take('k').ok).toBe(true);
    }
    const refused = usage.take('k');
    expect(refused).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED' });
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeGreaterThan(3500);
    clock = Date.parse('2026-01-02T00:00:01Z');
    expect(usage.take('k').ok).toBe(true);
  });

  it('throttles a method by its own bucket inside the plan; refused requests take no token', () => {
    const route = 'POST /orders';
    const withMethod = planWithMethodThrottle(
      route,
      { rateLimit: 10, burstLimit: 10 },
      { rateLimit: 1, burstLimit: 2 },
    );
    let clock = 0;
    const usage = new UsagePlans(withMethod, 1, () => clock);
    expect(usage.take('k', route).ok).toBe(true);
    expect(usage.take('k', route).ok).toBe(true);
    expect(usage.take('k', route)).toEqual({ ok: false, code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 1 });
    // Other methods still have the plan's tokens: 10 burst, 2 used by the method.
    for (let i = 0; i < 8; i++) expect(usage.take('k', 'GET /orders').ok).toBe(true);
    expect(usage.take('k', 'GET /orders').ok).toBe(false);
    // A second later the method admits one more, no more.
    clock += 1000;
    for (let i = 0; i < 5; i++) expect(usage.take('k', route).ok).toBe(i === 0);
  });

  it("still applies the plan's limit to a method with a looser throttle of its own", () => {
    const route = 'POST /orders';
    const plans = planWithMethodThrottle(
      route,
      { rateLimit: 1, burstLimit: 2 },
      { rateLimit: 5, burstLimit: 5 },
    );
    const usage = new UsagePlans(plans, 1, () => 0);
    expect([1, 2, 3].map(() => usage.take('k', route).ok)).toEqual([true, true, false]);
  });

  it('knows only the keys of its plans, and scale multiplies every limit', () => {
    const usage = new UsagePlans(plans, 10, () => 0);
    expect(usage.has('other')).toBe(false);
    for (let i = 0; i < 40; i++) expect(usage.take('k').ok).toBe(true);
    expect(usage.take('k').ok).toBe(false);
  });
});

describe('JSON nesting measured on the raw text', () => {
  it.each([
    ['{}', 1, false],
    ['{"a":{"b":[1]}}', 3, false],
    ['{"a":{"b":[1]}}', 2, true],
    ['{"a":"[[[[[[{{{{"}', 1, false],
    ['{"a":"\\"[[["}', 1, false],
    [`${'['.repeat(5000)}${']'.repeat(5000)}`, 16, true],
  ])('%s deeper than %d: %s', (text, max, expected) => {
    expect(jsonNestsDeeperThan(text, max)).toBe(expected);
  });
});
