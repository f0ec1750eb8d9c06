import { type CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export type TemplateResource = {
  Type: string;
  Properties: Record<string, any>;
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

/**
 * The resources of `stack` and its nested stacks in one map, each nested parameter replaced by
 * the value the parent passes (so a nested method's integration names the function's logical id
 * as a same-stack template would). Logical ids must not collide across the templates.
 */
export const deployedResources = (stack: Stack): Record<string, TemplateResource> => {
  const templates = templatesOf(stack);
  const parent = templates[0]!.resources;
  const merged: Record<string, TemplateResource> = { ...parent };
  for (const { stack: nested, resources } of templates.slice(1)) {
    const nestedResource = (nested as NestedStack).nestedStackResource!;
    const parameters: Record<string, unknown> =
      parent[Stack.of(nestedResource).getLogicalId(nestedResource as CfnResource)]?.Properties?.Parameters ??
      {};
    const inlined = JSON.parse(JSON.stringify(resources), (_key, value) =>
      value && typeof value === 'object' && typeof value.Ref === 'string' && value.Ref in parameters
        ? parameters[value.Ref]
        : value,
    );
    for (const [id, resource] of Object.entries(inlined as Record<string, TemplateResource>)) {
      if (id in merged) throw new Error(`Logical id ${id} is in more than one template`);
      merged[id] = resource;
    }
  }
  return merged;
};
