/**
 * How API Gateway applies a Lambda authorizer's policy to a request: IAM evaluation of
 * `execute-api:Invoke` against the method ARN. `*` matches any run of characters (slashes too),
 * `?` exactly one; an explicit Deny wins over any Allow; no matching Allow is a deny (403).
 */
export type PolicyStatement = {
  Effect: string;
  Action?: string | string[];
  Resource?: string | string[];
};
export type PolicyDocument = { Version?: string; Statement: PolicyStatement | PolicyStatement[] };

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

/** IAM wildcard match over the whole string. */
export const iamWildcardMatch = (pattern: string, value: string, ignoreCase = false): boolean => {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
};

const applies = (statement: PolicyStatement, methodArn: string): boolean =>
  asList(statement.Action).some((a) => iamWildcardMatch(a, 'execute-api:Invoke', true)) &&
  asList(statement.Resource).some((r) => iamWildcardMatch(r, methodArn));

export const evaluatePolicy = (policy: PolicyDocument | undefined, methodArn: string): 'allow' | 'deny' => {
  const statements = policy ? [policy.Statement].flat() : [];
  const matching = statements.filter((s) => applies(s, methodArn));
  if (matching.some((s) => s.Effect === 'Deny')) return 'deny';
  return matching.some((s) => s.Effect === 'Allow') ? 'allow' : 'deny';
};

/** The ARN API Gateway passes to a TOKEN authorizer for a request (actual path, not the template). */
export const methodArnOf = (
  region: string,
  account: string,
  apiId: string,
  stage: string,
  method: string,
  path: string,
): string => `arn:aws:execute-api:${region}:${account}:${apiId}/${stage}/${method}${path}`;
