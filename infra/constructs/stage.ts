import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Short enough for every name it prefixes (stack, API, Athena, Glue) and valid in all of them. */
const stagePattern = /^[a-z][a-z0-9]{0,11}$/;

/** The deployment stage (`-c stage=…`, default `dev`): stages deploy side by side in one account. */
export const stageOf = (scope: Construct): string => {
  const stage: unknown = scope.node.tryGetContext('stage') ?? 'dev';
  if (typeof stage !== 'string' || !stagePattern.test(stage))
    throw new Error(`CDK context "stage" must match ${stagePattern} (got ${JSON.stringify(stage)})`);
  return stage;
};

/** The name of the stage's top-level stack (a nested stack's own name is only known at deploy time). */
export const rootStackName = (scope: Construct): string => {
  let root = Stack.of(scope);
  while (root.nestedStackParent) root = root.nestedStackParent;
  return root.stackName;
};
