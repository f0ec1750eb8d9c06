import type { PolicyViolation } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsSolutionsChecks } from '../../infra/constructs/nag.ts';
import { CpqOmsStack, cdkJsonContext } from '../../infra/stack.ts';

let violations: PolicyViolation[];

beforeAll(() => {
  // A fresh app, synthesized once for this file; bundling is skipped (it does not change the findings).
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new CpqOmsStack(app, 'NagStack');
  violations = new AwsSolutionsChecks(app, { verbose: true }).validateScope(stack).violations;
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

  it('lists the remaining warnings', () => {
    const warnings = violations.filter((violation) => violation.severity !== 'error');
    console.info(`cdk-nag warnings: ${warnings.length}`, JSON.stringify(summary(warnings)));
    expect(warnings.map((warning) => warning.ruleName)).toEqual(['AwsSolutions-APIG3']);
  });
});
