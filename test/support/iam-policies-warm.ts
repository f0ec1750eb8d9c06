import { existsSync } from 'node:fs';

/** Set by the shared stacks' global setup: a file that exists once the first stack is up (or failed). */
export const iamPoliciesMarkerEnv = 'CPQ_OMS_IAM_POLICIES_MARKER';

/**
 * A stack's first start after a change of the CDK app synthesizes it for its IAM policies and
 * caches them (infra/local/template-policies.ts). When the run's shared stack is doing that,
 * another stack waits for it instead of synthesizing the same app beside it on the same cores
 * (and writing the same cache). Outside such a run this returns at once.
 */
export const iamPoliciesWarm = async (timeoutMs = 90_000): Promise<void> => {
  const marker = process.env[iamPoliciesMarkerEnv];
  if (!marker) return;
  const deadline = Date.now() + timeoutMs;
  // Past the deadline (inside the hook timeouts of the stack starts that wait here) the stack
  // synthesizes for itself, as it would without the shared one.
  while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
};
