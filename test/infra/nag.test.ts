import type { PolicyViolation } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsSolutionsChecks, ServerlessChecks } from '../../infra/constructs/nag.ts';
import { CpqOmsStack, cdkJsonContext } from '../../infra/stack.ts';

let violations: PolicyViolation[];
let serverless: PolicyViolation[];

beforeAll(() => {
  // A fresh app, synthesized once for this file; bundling is skipped (it does not change the findings).
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new CpqOmsStack(app, 'NagStack');
  violations = new AwsSolutionsChecks(app, { verbose: true }).validateScope(stack).violations;
  serverless = new ServerlessChecks(app, { verbose: true }).validateScope(stack).violations;
});

const summary = (list: PolicyViolation[]) =>
  list.map((violation) => ({
    rule: violation.ruleName,
    at: violation.violatingResources.map((resource) => resource.constructPath ?? resource.resourceLogicalId),
  }));

describe('cdk-nag AwsSolutions', () => {
  it('reports no errors (every exception is acknowledged with its reason where it is made)', () => {
    expect(summary(violations.filter((violation) => violation.severity === 'error'))).toEqual([]);
  });

  it('has no warnings left either (the WAF web ACL closed APIG3)', () => {
    expect(summary(violations.filter((violation) => violation.severity !== 'error'))).toEqual([]);
  });
});

describe('cdk-nag ServerlessChecks', () => {
  it('reports no findings (every exception is acknowledged with its reason where it is made)', () => {
    expect(summary(serverless)).toEqual([]);
  });
});
