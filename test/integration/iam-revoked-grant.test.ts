import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack';
import type { ResolvedPolicies } from '#local/template-policies';
import { client, ordersPath } from '#test/api-client';
import { iamPoliciesWarm } from '#test/iam-policies-warm';
import { quoteBody } from '#test/request-bodies';

/** The hub's grant to write its subscriptions (`HUB#*`), removed from the synthesized policy. */
const withoutHubSubscriptions = (resolved: ResolvedPolicies): ResolvedPolicies => {
  for (const policy of resolved.functionRoles.hub.policies)
    policy.Statement = policy.Statement.filter((s) => !JSON.stringify(s.Condition ?? {}).includes('"HUB#*"'));
  return resolved;
};

let stack: LocalStack;
beforeAll(async () => {
  await iamPoliciesWarm();
  stack = await startLocalStack({ port: 0, timeScale: 0.02, policies: withoutHubSubscriptions });
}, 180_000);
afterAll(() => stack?.stop());

describe('the local stack enforces the synthesized IAM policies', () => {
  it('a handler call its role no longer allows fails as AWS fails it; other grants still hold', async () => {
    const api = client(stack.url);
    const sub = await api.post(
      `${ordersPath}/hub`,
      { callback: 'http://127.0.0.1:9/cb' },
      { token: 'local-partner-a' },
    );
    expect(sub.status).toBeGreaterThanOrEqual(500);
    expect(stack.components.iam.denials).toEqual([
      expect.objectContaining({
        caller: expect.stringContaining('/hub'),
        action: 'dynamodb:PutItem',
        resource: expect.stringContaining(':table/cpq-oms-aggregates'),
        context: { 'dynamodb:LeadingKeys': [expect.stringMatching(/^HUB#productOrder#/)] },
      }),
    ]);
    const quote = await api.post('/quotes', quoteBody(), { token: 'local-sales' });
    expect(quote.status).toBe(201);
    expect(stack.components.iam.denials).toHaveLength(1);
  });
});
