import { marshall } from '@aws-sdk/util-dynamodb';
import { App, type CfnResource } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchIndexSpec } from '#domain/projections/view-catalog';
import { freshSearchPointer, searchPointerKey } from '#domain/search/search-versions';
import { deployedResources, type TemplateResource } from '#test/stack-templates';
import { initialItems, type TableName, type TableSpec, tables } from '#topology';
import { CpqOmsStack, cdkJsonContext } from '../../infra/stack.ts';

let stack: CpqOmsStack;
let resources: Record<string, TemplateResource>;

beforeAll(() => {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  stack = new CpqOmsStack(app, 'InitialItemsStack');
  resources = deployedResources(stack);
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const tableId = (table: TableName) =>
  stack.getLogicalId(stack.data.tables[table].node.defaultChild as CfnResource);

/** A custom resource call as CloudFormation passes it: a JSON string joined around references. */
const callOf = (value: unknown): Record<string, unknown> => {
  const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const refs = parts.filter((part) => typeof part !== 'string');
  const text = parts.map((part) => (typeof part === 'string' ? part : `@ref${refs.indexOf(part)}@`)).join('');
  return JSON.parse(text, (_key, v) => {
    const ref = typeof v === 'string' ? /^@ref(\d+)@$/.exec(v) : null;
    return ref ? refs[Number(ref[1])] : v;
  });
};

/** What the local stack puts in a new search table (infra/local/dynamo.ts). */
const pointer = { ...searchPointerKey, ...freshSearchPointer(searchIndexSpec.schemaVersion) };

describe('items a new table starts with', () => {
  it('is the search pointer on the current schema for the search table, nothing for the others', () => {
    for (const [name, spec] of Object.entries(tables) as [TableName, TableSpec][])
      expect(initialItems(spec), name).toEqual(name === 'search' ? [pointer] : []);
    expect(pointer).toMatchObject({ active: 1, schemas: { '1': searchIndexSpec.schemaVersion } });
  });

  it('a deploy puts exactly that item when it creates the table, never over a pointer already there', () => {
    const seeds = ofType('Custom::AWS');
    expect(seeds).toHaveLength(1);
    const [, seed] = seeds[0]!;
    expect(seed.Properties).not.toHaveProperty('Update');
    expect(seed.Properties).not.toHaveProperty('Delete');
    expect(seed.Properties.InstallLatestAwsSdk).toBe(false);
    expect(callOf(seed.Properties.Create)).toEqual({
      service: 'DynamoDB',
      action: 'putItem',
      parameters: {
        TableName: { Ref: tableId('search') },
        Item: marshall(pointer),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
      physicalResourceId: { id: 'search-initial-item-0' },
      ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
    });
  });

  it('its role may PutItem on the search table only, and write its own log group', () => {
    const [[, seed]] = ofType('Custom::AWS') as [[string, TemplateResource]];
    const provider = resources[seed.Properties.ServiceToken['Fn::GetAtt'][0]]!;
    const roleId = provider.Properties.Role['Fn::GetAtt'][0] as string;
    expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
    expect(resources[roleId]!.Properties.Policies).toBeUndefined();
    const logGroupId = provider.Properties.LoggingConfig.LogGroup.Ref as string;
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(2);
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Action: 'dynamodb:PutItem',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [tableId('search'), 'Arn'] },
        },
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
      ]),
    );
  });
});
