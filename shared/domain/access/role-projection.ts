import type { Role } from '#domain/actor';

/**
 * What a role must never read, whatever a route answers (requirements 003 §20, "security at the
 * query boundary"): support reads order status, tracking and timelines, but no approval comments
 * and no margins or costs. The routes support may call carry none of these today; this projection
 * keeps it so when a view or resource grows one.
 */
const confidential: Partial<Record<Role, RegExp>> = {
  support:
    /^(comment|comments|approvalComment|approvals?|approvalDecisions?|approvalGrant|margin\w*|\w*Margin\w*|cost\w*|\w*Cost\w*)$/,
};

const without = (pattern: RegExp, value: unknown): unknown => {
  if (Array.isArray(value)) return value.map((v) => without(pattern, v));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !pattern.test(key))
      .map(([key, v]) => [key, without(pattern, v)]),
  );
};

/** The body as `role` may read it: the role's confidential fields removed at any depth. */
export const projectForRole = (role: Role, body: unknown): unknown => {
  const pattern = confidential[role];
  return pattern ? without(pattern, body) : body;
};
