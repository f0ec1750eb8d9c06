import { NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export type TemplateResource = {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
};
export type StackTemplate = {
  stack: Stack;
  resources: Record<string, TemplateResource>;
  outputs: Record<string, { Export?: { Name: unknown } }>;
};

/** The templates CloudFormation deploys for `stack`: its own and those of its nested stacks. */
export const templatesOf = (stack: Stack): StackTemplate[] =>
  [stack, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)].map((s) => {
    const json = Template.fromStack(s).toJSON();
    return { stack: s, resources: json.Resources ?? {}, outputs: json.Outputs ?? {} };
  });
