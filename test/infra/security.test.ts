import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devTokens } from '#local/dev-tokens';
import { gatewayAnswers } from '#plumbing/http/gateway-responses';
import { deployedResources } from '#test/stack-templates';
import {
  api,
  type FunctionName,
  type FunctionSpec,
  functions,
  idempotencyKeyPrefixes,
  usageKeyOf,
} from '#topology';
import { DomainFunction } from '../../infra/constructs/domain-function.ts';
import { CpqOmsStack, cdkJsonContext } from '../../infra/stack.ts';

type Resource = {
  Type: string;
  Properties: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

let stack: CpqOmsStack;
let template: Template;
let resources: Record<string, Resource>;
const context = cdkJsonContext();

beforeAll(() => {
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  stack = new CpqOmsStack(app, 'SecurityStack');
  // What CloudFormation deploys: the stack and its nested stacks (the API has its own).
  resources = deployedResources(stack);
  template = Template.fromJSON({ Resources: resources });
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnResource);
const specs = Object.entries(functions) as [FunctionName, FunctionSpec][];

/** Statements of the inline policies attached to a function's role. */
const statementsOf = (name: FunctionName) => {
  const fnId = logicalId(stack.functions.get(name));
  const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0] as string;
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[]);
};
const onTable = (name: FunctionName, table: 'aggregates' | 'idempotency') =>
  statementsOf(name).filter((s) =>
    JSON.stringify(s.Resource).includes(`"${logicalId(stack.data.tables[table])}"`),
  );
const actions = (s: Record<string, any>): string[] => [s.Action].flat();

describe('authorizer and gateway semantics in the template', () => {
  it('caches authorizer results for the topology TTL and validates the Bearer scheme with the shared pattern', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      AuthorizerResultTtlInSeconds: api.authorizerCacheTtlSeconds,
      IdentityValidationExpression: api.bearerPattern,
      IdentitySource: 'method.request.header.Authorization',
    });
    expect(api.authorizerCacheTtlSeconds).toBeGreaterThan(0);
  });

  it('answers every gateway response type in the error shape with the request id as correlation id', () => {
    const responses = ofType('AWS::ApiGateway::GatewayResponse').map(([, r]) => r.Properties);
    expect(responses.map((r) => r.ResponseType).sort()).toEqual(Object.keys(gatewayAnswers).sort());
    for (const r of responses) {
      const answer = gatewayAnswers[r.ResponseType as keyof typeof gatewayAnswers];
      expect(r.StatusCode).toBe(String(answer.status));
      expect(JSON.parse(r.ResponseTemplates['application/json'])).toMatchObject({
        code: answer.code,
        status: String(answer.status),
        correlationId: '$context.requestId',
      });
      expect(r.ResponseParameters['gatewayresponse.header.X-Correlation-Id']).toBe('context.requestId');
      expect(r.ResponseParameters['gatewayresponse.header.Cache-Control']).toBe("'no-store'");
      expect(r.ResponseParameters['gatewayresponse.header.X-Content-Type-Options']).toBe("'nosniff'");
    }
    expect(gatewayAnswers.MISSING_AUTHENTICATION_TOKEN).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('gives the cursor key, resolved from a generated secret, to exactly the functions that seal cursors', () => {
    const sealing = Object.values(functions as Record<string, FunctionSpec>)
      .filter((f) => f.sealsCursors)
      .map((f) => f.description)
      .sort();
    const withKey = ofType('AWS::Lambda::Function')
      .map(([, r]) => r.Properties)
      .filter((p) => p.Environment?.Variables?.CURSOR_KEY !== undefined);
    expect(withKey.map((p) => p.Description).sort()).toEqual(sealing);
    for (const p of withKey)
      expect(JSON.stringify(p.Environment.Variables.CURSOR_KEY)).toContain('resolve:secretsmanager');
    expect(ofType('AWS::SecretsManager::Secret')).toHaveLength(1);
  });

  it('throttles each channel by its own usage plan, keyed by what the authorizer returns', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
    const plans = ofType('AWS::ApiGateway::UsagePlan').map(
      ([id, r]) => ({ id, ...r.Properties }) as Record<string, any>,
    );
    expect(plans).toHaveLength(Object.keys(api.usagePlans).length);
    const keys = ofType('AWS::ApiGateway::ApiKey').map(([id, r]) => ({ id, value: r.Properties.Value }));
    for (const [channel, plan] of Object.entries(api.usagePlans)) {
      const key = keys.find((k) => k.value === usageKeyOf(channel, stack.stackName))!;
      expect(key).toBeDefined();
      const link = ofType('AWS::ApiGateway::UsagePlanKey').find(
        ([, r]) => r.Properties.KeyId.Ref === key.id,
      )!;
      const usagePlan = plans.find((p) => p.id === link[1].Properties.UsagePlanId.Ref)!;
      expect(usagePlan.Throttle).toEqual({ RateLimit: plan.rateLimit, BurstLimit: plan.burstLimit });
      expect(usagePlan.Quota).toEqual({ Limit: plan.quotaPerDay, Period: 'DAY' });
      // Method throttles (bulkhead on partner order submission), keyed `<path>/<METHOD>` in the stage.
      const methodThrottles = Object.fromEntries(
        Object.entries(plan.methods ?? {}).map(([route, t]) => {
          const [verb, path] = route.split(' ');
          return [`${path}/${verb}`, { RateLimit: t.rateLimit, BurstLimit: t.burstLimit }];
        }),
      );
      expect(usagePlan.ApiStages[0].Throttle ?? {}).toEqual(methodThrottles);
    }
    expect(api.usagePlans['partner-a']!.methods).toHaveProperty([
      'POST /tmf-api/productOrderingManagement/v4/productOrder',
    ]);
    for (const [, method] of ofType('AWS::ApiGateway::Method')) {
      expect(Boolean(method.Properties.ApiKeyRequired)).toBe(
        method.Properties.AuthorizationType === 'CUSTOM',
      );
    }
  });

  it('puts a WAF web ACL with AWS managed rule groups and a per-IP rate rule in front of the stage', () => {
    const [, acl] = ofType('AWS::WAFv2::WebACL')[0]!;
    const rules = acl.Properties.Rules as Record<string, any>[];
    const managed = rules.flatMap((r) => r.Statement.ManagedRuleGroupStatement?.Name ?? []);
    expect(managed).toEqual(
      expect.arrayContaining([
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesAmazonIpReputationList',
      ]),
    );
    const rate = rules.find((r) => r.Statement.RateBasedStatement)!;
    expect(rate.Statement.RateBasedStatement.AggregateKeyType).toBe('IP');
    expect(rate.Action.Block.CustomResponse.ResponseCode).toBe(429);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.anyValue(),
      WebACLArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
  });

  it('hands out hrefs from the configured public base URL', () => {
    for (const route of api.routes) {
      const fn = resources[logicalId(stack.functions.get(route.function))]!;
      expect(fn.Properties.Environment.Variables.PUBLIC_BASE_URL).toBe(context.publicBaseUrl);
    }
  });
});

describe('hostile clients cannot starve the critical commands', () => {
  it.each(specs.filter(([, spec]) => spec.reservedConcurrency))(
    '%s has its reserved concurrency',
    (name, spec) => {
      expect(resources[logicalId(stack.functions.get(name))]!.Properties.ReservedConcurrentExecutions).toBe(
        spec.reservedConcurrency,
      );
    },
  );

  it('cancellation, approval and repair have reserved concurrency', () => {
    for (const name of ['order-cancel', 'order-repair', 'quote-approval'] as const)
      expect(functions[name].reservedConcurrency).toBeGreaterThan(0);
  });
});

describe('least privilege that holds in IAM', () => {
  it.each(specs.filter(([, spec]) => spec.writesKeys?.aggregates))(
    '%s writes aggregates only under its own key prefixes (dynamodb:LeadingKeys)',
    (name, spec) => {
      const writes = onTable(name, 'aggregates').filter((s) => actions(s).includes('dynamodb:PutItem'));
      expect(writes).toHaveLength(1);
      for (const s of writes) {
        expect(actions(s).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
        expect(s.Condition).toEqual({
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': spec.writesKeys!.aggregates!.map((p) => `${p}*`),
          },
        });
      }
    },
  );

  it.each([
    'quote-price',
    'quote-submit',
    'quote-accept',
    'quote-approval',
    'quote-patch',
    'tmf648-quote-patch',
    'quote-get',
    'tmf648-quote-get',
    'order-create',
  ] as const)(
    '%s may read its quote and the catalog pointer in one BatchGetItem (reads are not key-scoped)',
    (name) => {
      const batchReads = onTable(name, 'aggregates').filter((s) =>
        actions(s).includes('dynamodb:BatchGetItem'),
      );
      expect(batchReads).toHaveLength(1);
      expect(batchReads[0]!.Effect).toBe('Allow');
      expect(batchReads[0]!.Condition).toBeUndefined();
    },
  );

  it('a quote command cannot write catalog pointers, orders or conversion records', () => {
    const prefixes = functions['quote-create'].writesKeys.aggregates;
    expect(
      prefixes.some((p) => p.startsWith('CATALOG') || p.startsWith('ORDER') || p.startsWith('CONVERSION')),
    ).toBe(false);
  });

  it.each(specs.filter(([, spec]) => spec.tables?.idempotency))(
    '%s reads and writes only its own idempotency records',
    (name) => {
      const statements = onTable(name, 'idempotency');
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        expect(s.Condition).toEqual({
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': idempotencyKeyPrefixes(name).map((p) => `${p}*`),
          },
        });
      }
    },
  );

  it('tables have deletion protection and are retained', () => {
    for (const [, table] of ofType('AWS::DynamoDB::Table')) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
      expect(table.DeletionPolicy).toBe('Retain');
    }
  });

  it('dead-letter queues keep messages 14 days and are retained', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const [, queue] of queues) {
      expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
      expect(queue.DeletionPolicy).toBe('Retain');
    }
  });

  it('the state machine log holds no execution data', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ IncludeExecutionData: false }),
    });
  });
});

describe('token configuration', () => {
  it.each(['jwtIssuer', 'jwtAudience', 'jwksUri', 'jwtMaxAgeSeconds', 'publicBaseUrl'])(
    'synth fails without %s',
    (key) => {
      const app = new App({ context: { ...context, [key]: '', 'aws:cdk:bundling-stacks': [] } });
      expect(() => new CpqOmsStack(app, 'Unconfigured')).toThrow(`CDK context "${key}" is required`);
    },
  );
});

describe('the synthesized authorizer asset', () => {
  let outdir: string;
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('contains no development token (bundled exactly as the app bundles it)', () => {
    outdir = mkdtempSync(path.join(tmpdir(), 'cpq-oms-asset-'));
    const app = new App({ outdir });
    const assetStack = new Stack(app, 'AuthorizerAsset');
    new DomainFunction(assetStack, 'authorizer', { name: api.authorizer, spec: functions.authorizer });
    app.synth();
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const full = path.join(dir, f);
        return statSync(full).isDirectory() ? files(full) : [full];
      });
    const bundles = files(outdir).filter((f) => f.endsWith('.mjs') || f.endsWith('.js'));
    expect(bundles.length).toBeGreaterThan(0);
    const text = bundles.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(text).toContain('execute-api:Invoke');
    for (const token of Object.keys(devTokens)) expect(text).not.toContain(token);
    expect(text).not.toContain('local-');
  });
});
