import {
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  Stack,
  Validations,
} from 'aws-cdk-lib';
// cdk-nag is CommonJS with re-exports that Node's ESM loader cannot see as named exports.
import cdkNag from 'cdk-nag';
// The function cdk-nag itself spells IAM5 resource findings with.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

export const { AwsSolutionsChecks, ServerlessChecks } = cdkNag;

/**
 * cdk-nag 3 runs as a CDK policy validation plugin and reports any finding, warnings included,
 * as a failure. Errors fail synth; warnings stay in the report (cdk.out/validation-report.json).
 */
export class NagErrorsFailSynth implements IPolicyValidationPlugin {
  readonly name: string;

  constructor(private readonly pack: IPolicyValidationPlugin) {
    this.name = pack.name;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const { appConstruct } = context as IPolicyValidationContext & { appConstruct?: IConstruct };
    if (appConstruct) settleResourceAcknowledgements(appConstruct);
    const report = this.pack.validate(context);
    return { ...report, success: report.violations.every((violation) => violation.severity !== 'error') };
  }
}

/**
 * Acknowledges one cdk-nag finding on a construct and everything below it. cdk-nag 3 matches
 * findings exactly (`AwsSolutions-IAM5[Resource::…]`), so each acknowledgment covers one thing.
 */
export const acknowledge = (scope: IConstruct, id: string, reason: string): void =>
  Validations.of(scope).acknowledge({ id, reason });

type PendingAcknowledgement = { scope: IConstruct; resource: string; reason: string; settled: boolean };
const pendingByApp = new WeakMap<IConstruct, PendingAcknowledgement[]>();

/**
 * Acknowledges the `AwsSolutions-IAM5` wildcard finding for `resource` (the very value a policy
 * statement of `scope` names, e.g. `bucket.arnForObjects('facts/*')`). The finding spells the
 * resource as the policy's stack sees it after synthesis: a resource of another (nested) stack is
 * a parameter or a nested-stack output there, so the id is computed only then, by
 * `settleResourceAcknowledgements`, from the resolved reference.
 */
export const acknowledgeWildcard = (scope: IConstruct, resource: string, reason: string): void => {
  const root = scope.node.root;
  const pending = pendingByApp.get(root) ?? [];
  pending.push({ scope, resource, reason, settled: false });
  pendingByApp.set(root, pending);
};

/** Turns the pending wildcard acknowledgements into exact ones; after references are resolved (synthesis). */
export const settleResourceAcknowledgements = (root: IConstruct): void => {
  for (const pending of pendingByApp.get(root.node.root) ?? []) {
    if (pending.settled) continue;
    const spelled = flattenCfnReference(Stack.of(pending.scope).resolve(pending.resource));
    acknowledge(pending.scope, `AwsSolutions-IAM5[Resource::${spelled}]`, pending.reason);
    pending.settled = true;
  }
};
