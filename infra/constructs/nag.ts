import {
  type CfnResource,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  Stack,
  Validations,
} from 'aws-cdk-lib';
// cdk-nag is CommonJS with re-exports that Node's ESM loader cannot see as named exports.
import cdkNag from 'cdk-nag';
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

/** A resource attribute as cdk-nag spells it in a finding, e.g. `<DataaggregatesA1B2C3D4.Arn>`. */
export const findingRef = (resource: IConstruct, attribute = 'Arn'): string =>
  `<${Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnResource)}.${attribute}>`;
