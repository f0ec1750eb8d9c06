import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, type CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { allowedMethodsByPath } from '#plumbing/http/gateway-responses';
import { deployedResources } from '#test/stack-templates';
import {
  api,
  asyncFunctions,
  asyncInvocation,
  deliveryStreams,
  eventRules,
  type FunctionName,
  type FunctionSpec,
  functions,
  queues,
  resourceEnv,
  schedules,
  stateMachines,
  streamConsumers,
  type TableName,
  tables,
} from '#topology';
import { projectRoot } from '../../infra/constructs/domain-function.ts';
import { writeActions } from '../../infra/constructs/functions.ts';
import { CpqOmsStack, cdkJsonContext } from '../../infra/stack.ts';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: unknown };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

let app: App;
let stack: CpqOmsStack;
let template: Template;
let resources: Record<string, Resource>;
const context = cdkJsonContext();

beforeAll(() => {
  // Synthesized once for the whole file; bundling is skipped (npm run synth exercises it).
  app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  stack = new CpqOmsStack(app, 'TestStack');
  // What CloudFormation deploys: the stack and its nested stacks (the API has its own).
  resources = deployedResources(stack);
  template = Template.fromJSON({ Resources: resources });
});

const specs = Object.entries(functions) as [FunctionName, FunctionSpec][];
const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
const fnId = (name: FunctionName) => logicalId(stack.functions.get(name));
const fnArn = (name: FunctionName) => ({ 'Fn::GetAtt': [fnId(name), 'Arn'] });
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const mentions = (value: unknown, id: string) => JSON.stringify(value).includes(`"${id}"`);
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every inline policy attached to the role of a function. */
const statementsOf = (name: FunctionName): Statement[] => {
  const roleId = resources[fnId(name)]!.Properties.Role['Fn::GetAtt'][0] as string;
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) => mentions(policy.Properties.Roles, roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);
};
const actionsOn = (name: FunctionName, resourceId: string): string[] =>
  statementsOf(name)
    .filter((statement) => mentions(statement.Resource, resourceId))
    .flatMap((statement) => asArray(statement.Action));
const envOf = (name: FunctionName): Record<string, unknown> =>
  resources[fnId(name)]!.Properties.Environment?.Variables ?? {};

describe('functions', () => {
  it('has one Lambda function per topology function and no other but the custom resource provider', () => {
    // The AwsCustomResource provider that puts the items a new table starts with (initial-items.test.ts).
    const providers = new Set(
      ofType('Custom::AWS').map(([, r]) => r.Properties.ServiceToken['Fn::GetAtt'][0] as string),
    );
    expect(providers.size).toBe(1);
    expect(ofType('AWS::Lambda::Function').filter(([id]) => !providers.has(id))).toHaveLength(specs.length);
  });

  it.each(specs)(
    '%s: nodejs22.x on arm64, active tracing, own log group in JSON without the platform lines, Powertools settings',
    (name, spec) => {
      const props = resources[fnId(name)]!.Properties;
      expect(props.Runtime).toBe('nodejs22.x');
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect(props.LoggingConfig).toEqual({
        LogGroup: { Ref: expect.any(String) },
        LogFormat: 'JSON',
        SystemLogLevel: 'WARN',
        // EMF metric documents carry no level: Lambda counts them INFO, so nothing above INFO.
        ApplicationLogLevel: 'INFO',
      });
      expect(props.Timeout).toBe(spec.timeoutSeconds ?? 10);
      expect(props.MemorySize).toBe(spec.memoryMb ?? 512);
      expect(envOf(name)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'cpq-oms',
        POWERTOOLS_METRICS_NAMESPACE: 'CpqOms',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
      // Source maps ship with the code but are not enabled at run time (they cost init time).
      expect(envOf(name).NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
      // A hung AWS dependency fails a call (one try: timeouts are not retried) in a third of the function's timeout.
      const requestMs = Number(envOf(name).SDK_REQUEST_TIMEOUT_MS);
      expect(requestMs).toBeGreaterThan(0);
      expect(requestMs).toBeLessThanOrEqual((props.Timeout * 1000) / 3);
    },
  );

  it('functions that call downstreams get each URL and in-flight window from CDK context', () => {
    for (const [name, spec] of specs) {
      const env = envOf(name);
      if (!spec.callsDownstream) {
        expect(env).not.toHaveProperty(resourceEnv.downstreamInFlightWindowMs.provisioning);
        continue;
      }
      expect(env).toMatchObject({
        [resourceEnv.downstream.provisioning]: context.provisioningUrl,
        [resourceEnv.downstream.billing]: context.billingUrl,
        [resourceEnv.downstreamInFlightWindowMs.provisioning]: context.provisioningInFlightWindowMs,
        [resourceEnv.downstreamInFlightWindowMs.billing]: context.billingInFlightWindowMs,
      });
    }
    expect(envOf('fulfillment-query')).toHaveProperty(resourceEnv.downstreamInFlightWindowMs.provisioning);
  });

  it('log groups keep one month', () => {
    for (const [, group] of ofType('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('no role uses AWS-managed policies except the API Gateway account role', () => {
    const withManaged = ofType('AWS::IAM::Role').filter(([, role]) => role.Properties.ManagedPolicyArns);
    expect(withManaged.map(([, role]) => JSON.stringify(role.Properties.ManagedPolicyArns))).toEqual([
      expect.stringContaining('AmazonAPIGatewayPushToCloudWatchLogs'),
    ]);
  });
});

describe('least privilege per function', () => {
  const streamActions = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];

  it.each(specs)('%s: table names and table grants only for the tables its spec names', (name, spec) => {
    for (const table of Object.keys(tables) as TableName[]) {
      const access = spec.tables?.[table];
      const tableId = logicalId(stack.data.tables[table]);
      const consumesStream =
        streamConsumers.some((c) => c.function === name && c.table === table) ||
        Boolean(spec.readsStreams?.includes(table));
      // Stream consumers read the table's stream (its ARN derives from the table) without a table grant.
      const actions = actionsOn(name, tableId).filter(
        (action) => !(consumesStream && streamActions.includes(action)),
      );
      if (!access) {
        expect(envOf(name)).not.toHaveProperty(resourceEnv.tables[table]);
        expect(actions).toEqual([]);
        continue;
      }
      expect(envOf(name)[resourceEnv.tables[table]]).toEqual({ Ref: tableId });
      if (access === 'write') expect(actions).not.toContain('dynamodb:GetItem');
      else expect(actions).toContain('dynamodb:GetItem');
      if (access === 'read') for (const action of writeActions) expect(actions).not.toContain(action);
      else expect(actions).toEqual(expect.arrayContaining(writeActions));
    }
  });

  it.each(specs)('%s: event bus, state machine and downstream only when its spec says so', (name, spec) => {
    const env = envOf(name);
    const actions = statementsOf(name).flatMap((statement) => asArray(statement.Action));
    const busId = logicalId(stack.events.bus);
    const puts = Boolean(spec.putsEvents || spec.publishesRefusals);
    expect(env[resourceEnv.eventBus] !== undefined).toBe(puts);
    expect(actions.includes('events:PutEvents')).toBe(puts);
    if (puts) {
      expect(env[resourceEnv.eventBus]).toEqual({ Ref: busId });
      expect(actionsOn(name, busId)).toEqual(['events:PutEvents']);
    }
    if (spec.publishesRefusals && !spec.putsEvents) {
      // Only its refusals: no domain event can be forged on the bus through this role.
      const putEvents = statementsOf(name).filter((s) => asArray(s.Action).includes('events:PutEvents'));
      expect(putEvents.map((s) => s.Condition)).toEqual([
        {
          'ForAnyValue:StringEquals': {
            'events:source': 'cpqoms.commands',
            'events:detail-type': 'CommandRefusedEvent',
          },
        },
      ]);
    }
    for (const machine of Object.keys(stateMachines) as (keyof typeof stateMachines)[]) {
      const starts = Boolean(spec.startsStateMachines?.includes(machine));
      const machineId = logicalId(stack.stateMachines[machine].stateMachine);
      expect(env[resourceEnv.stateMachines[machine]] !== undefined).toBe(starts);
      const lists = Boolean(spec.listsExecutionsOf?.includes(machine));
      expect(actionsOn(name, machineId).sort()).toEqual(
        starts ? [...(lists ? ['states:ListExecutions'] : []), 'states:StartExecution'] : [],
      );
    }
    for (const [system, envName] of Object.entries(resourceEnv.downstream)) {
      expect(env[envName]).toBe(spec.callsDownstream ? context[`${system}Url`] : undefined);
    }
  });

  it('statements on "*" are only actions without resource-level permissions', () => {
    for (const [name] of specs) {
      const starActions = statementsOf(name)
        .filter((statement) => statement.Resource === '*')
        .flatMap((statement) => asArray(statement.Action));
      for (const action of starActions) expect(action).toMatch(/^xray:|^dynamodb:ListStreams$/);
    }
  });

  it('quote-get reads aggregates only; projector cannot put events', () => {
    expect(envOf('quote-get')).not.toHaveProperty(resourceEnv.tables.idempotency);
    expect(actionsOn('quote-get', logicalId(stack.data.tables.aggregates))).not.toContain('dynamodb:PutItem');
    expect(envOf('projector')).not.toHaveProperty(resourceEnv.eventBus);
  });

  it('the authorizer verifies JWTs with the issuer, JWKS and audience from CDK context', () => {
    expect(envOf(api.authorizer)).toMatchObject({
      JWT_ISSUER: context.jwtIssuer,
      JWKS_URI: context.jwksUri,
      JWT_AUDIENCE: context.jwtAudience,
    });
  });
});

describe('tables', () => {
  it.each(Object.entries(tables))('%s: keys, stream, TTL, GSIs, PITR, on demand, encrypted', (name, spec) => {
    const props = resources[logicalId(stack.data.tables[name as TableName])]!.Properties;
    expect(props.KeySchema).toEqual([
      { AttributeName: spec.partitionKey, KeyType: 'HASH' },
      ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' }] : []),
    ]);
    expect(props.StreamSpecification?.StreamViewType).toBe(spec.stream);
    expect(props.TimeToLiveSpecification).toEqual(
      spec.timeToLiveAttribute ? { AttributeName: spec.timeToLiveAttribute, Enabled: true } : undefined,
    );
    expect(
      (props.GlobalSecondaryIndexes ?? []).map((index: any) => [
        index.IndexName,
        index.KeySchema,
        index.Projection,
      ]),
    ).toEqual(
      (spec.globalSecondaryIndexes ?? []).map((index) => [
        index.indexName,
        [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        // Indexes project only what their queries read.
        index.projection.length === 0
          ? { ProjectionType: 'KEYS_ONLY' }
          : { ProjectionType: 'INCLUDE', NonKeyAttributes: index.projection },
      ]),
    );
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.SSESpecification).toEqual({ SSEEnabled: true });
    expect(props.TableName).toBeUndefined();
  });

  it('the aggregates table streams new and old images and the idempotency table expires on `expiration`', () => {
    expect(tables.aggregates.stream).toBe('NEW_AND_OLD_IMAGES');
    expect(tables.idempotency.timeToLiveAttribute).toBe('expiration');
  });
});

describe('API', () => {
  /** Full path of every API Gateway resource, from the PathPart/ParentId chain in the template. */
  const pathOf = (resourceId: unknown): string => {
    const ref = (resourceId as { Ref?: string }).Ref;
    if (!ref) return ''; // Fn::GetAtt RootResourceId
    const resource = resources[ref]!.Properties;
    return `${pathOf(resource.ParentId)}/${resource.PathPart}`;
  };
  const methods = () =>
    ofType('AWS::ApiGateway::Method').map(([, method]) => ({
      key: `${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId)}`,
      props: method.Properties,
    }));

  it('has exactly the methods of topology.api.routes, and on each of their resources an ANY mock answering 405 with Allow', () => {
    const [notAllowed, routed] = [
      methods().filter((m) => m.key.startsWith('ANY ')),
      methods().filter((m) => !m.key.startsWith('ANY ')),
    ];
    expect(routed.map((method) => method.key).sort()).toEqual(
      api.routes.map((route) => `${route.method} ${route.path}`).sort(),
    );
    const allow = allowedMethodsByPath(api.routes);
    expect(notAllowed.map((m) => m.key).sort()).toEqual([...allow.keys()].map((p) => `ANY ${p}`).sort());
    for (const method of notAllowed) {
      expect(method.props.Integration.Type).toBe('MOCK');
      const response = method.props.Integration.IntegrationResponses[0];
      expect(response.StatusCode).toBe('405');
      expect(response.ResponseParameters['method.response.header.Allow']).toBe(
        `'${allow.get(method.key.slice(4))}'`,
      );
    }
  });

  it.each(api.routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s → its function, with the authorizer unless public',
    (key, route) => {
      const method = methods().find((candidate) => candidate.key === key)!;
      expect(method.props.Integration.Type).toBe('AWS_PROXY');
      expect(mentions(method.props.Integration.Uri, fnId(route.function))).toBe(true);
      for (const [name] of specs) {
        if (name !== route.function) expect(mentions(method.props.Integration.Uri, fnId(name))).toBe(false);
      }
      if (route.public) {
        expect(method.props.AuthorizationType).toBe('NONE');
        expect(method.props.AuthorizerId).toBeUndefined();
      } else {
        expect(method.props.AuthorizationType).toBe('CUSTOM');
        const authorizer = resources[method.props.AuthorizerId.Ref]!.Properties;
        expect(mentions(authorizer.AuthorizerUri, fnId(api.authorizer))).toBe(true);
      }
    },
  );

  it('stage throttles, writes access logs, logs execution without bodies, traces', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: {
        DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        Format: Match.anyValue(),
      },
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
          LoggingLevel: 'INFO',
          DataTraceEnabled: false,
        }),
      ]),
    });
  });
});

describe('event rules', () => {
  it('has exactly one rule per topology event rule and one per delivery stream', () => {
    expect(ofType('AWS::Events::Rule')).toHaveLength(eventRules.length + Object.keys(deliveryStreams).length);
    expect(Object.keys(deliveryStreams).length).toBeGreaterThan(0);
  });

  it.each(eventRules.map((rule) => [rule.name, rule] as const))(
    '%s: topology pattern on the domain bus → its function, with retries and a DLQ',
    (_name, rule) => {
      // One function may be the target of several rules (fulfillment-starter): the rule's own is the one described so.
      const match = ofType('AWS::Events::Rule').filter(
        ([, r]) =>
          mentions(r.Properties.Targets, fnId(rule.target.function)) &&
          r.Properties.Description === rule.description,
      );
      expect(match).toHaveLength(1);
      const props = match[0]![1].Properties;
      expect(props.EventPattern).toEqual(rule.pattern);
      expect(props.EventBusName).toEqual({ Ref: logicalId(stack.events.bus) });
      expect(props.Targets).toEqual([
        expect.objectContaining({
          Arn: fnArn(rule.target.function),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
          RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: expect.any(Number) }),
        }),
      ]);
      const dlqId = props.Targets[0].DeadLetterConfig.Arn['Fn::GetAtt'][0];
      expect(resources[dlqId]!.Type).toBe('AWS::SQS::Queue');
    },
  );

  it('the bus is archived', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [logicalId(stack.events.bus), 'Arn'] },
    });
  });
});

describe('asynchronous invocations', () => {
  it('every event rule and schedule target is invoked asynchronously', () => {
    for (const rule of eventRules) expect(asyncFunctions).toContain(rule.target.function);
    for (const schedule of schedules) expect(asyncFunctions).toContain(schedule.target.function);
  });

  it.each(asyncFunctions)(
    '%s: retried twice, then its event goes to its own on-failure queue, which it may send to',
    (name) => {
      const nested = Template.fromStack(stack.asyncDestinations).toJSON().Resources as Record<
        string,
        Resource
      >;
      const queue = stack.asyncDestinations.queues.get(name)!;
      const queueId = stack.asyncDestinations.getLogicalId(queue.node.defaultChild as CfnResource);
      expect(nested[queueId]!.Type).toBe('AWS::SQS::Queue');
      const configs = Object.values(nested).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig');
      const config = configs.find((c) => mentions(c.Properties.DestinationConfig, queueId))!;
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: asyncInvocation.retryAttempts,
        MaximumEventAgeInSeconds: asyncInvocation.maxEventAgeSeconds,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
      // The function and its role come from the main stack, as nested-stack parameters.
      const parameters = resources[stack.getLogicalId(stack.asyncDestinations.nestedStackResource!)]!
        .Properties.Parameters as Record<string, unknown>;
      const parameterOf = (ref: unknown) => parameters[(ref as { Ref: string }).Ref];
      expect(JSON.stringify(parameterOf(config.Properties.FunctionName))).toContain(`"${fnId(name)}"`);
      const send = Object.values(nested).filter(
        (r) => r.Type === 'AWS::IAM::Policy' && mentions(r.Properties.PolicyDocument, queueId),
      );
      expect(send).toHaveLength(1);
      expect(send[0]!.Properties.PolicyDocument.Statement).toEqual([
        expect.objectContaining({ Action: 'sqs:SendMessage', Effect: 'Allow' }),
      ]);
      const roleId = resources[fnId(name)]!.Properties.Role['Fn::GetAtt'][0] as string;
      expect(JSON.stringify(send[0]!.Properties.Roles.map(parameterOf))).toContain(`"${roleId}"`);
    },
  );
});

describe('stream consumers', () => {
  it('has exactly one event source mapping per topology stream consumer and queue', () => {
    expect(ofType('AWS::Lambda::EventSourceMapping')).toHaveLength(
      streamConsumers.length + Object.keys(queues).length,
    );
  });

  it.each(streamConsumers.map((consumer) => [consumer.function, consumer] as const))(
    '%s: table stream, filter, batch, bisect, retries, partial failures, on-failure queue',
    (_name, consumer) => {
      const match = ofType('AWS::Lambda::EventSourceMapping').filter(
        ([, mapping]) => mapping.Properties.FunctionName.Ref === fnId(consumer.function),
      );
      expect(match).toHaveLength(1);
      const props = match[0]![1].Properties;
      expect(props.EventSourceArn).toEqual({
        'Fn::GetAtt': [logicalId(stack.data.tables[consumer.table]), 'StreamArn'],
      });
      expect(
        props.FilterCriteria.Filters.map((filter: { Pattern: string }) => JSON.parse(filter.Pattern)),
      ).toEqual([consumer.filter]);
      expect(props).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: consumer.batchSize,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: consumer.maxRetries,
        MaximumRecordAgeInSeconds: expect.any(Number),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(props.MaximumBatchingWindowInSeconds).toBe(consumer.maxBatchingWindowSeconds);
      const queueId = props.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
      expect(resources[queueId]!.Type).toBe('AWS::SQS::Queue');
      expect(actionsOn(consumer.function, queueId)).toEqual(expect.arrayContaining(['sqs:SendMessage']));
    },
  );
});

describe('parked outbox batches', () => {
  it.each(streamConsumers.filter((c) => c.onFailure).map((c) => [c.function, c] as const))(
    "%s parks on its topology queue, drained by its redrive function that may read the stream and do the consumer's work",
    (_name, consumer) => {
      const spec = queues[consumer.onFailure!];
      const mapping = ofType('AWS::Lambda::EventSourceMapping').find(
        ([, m]) => m.Properties.FunctionName.Ref === fnId(consumer.function),
      )![1];
      const queueId = mapping.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
      expect(resources[queueId]!.Properties).toMatchObject({
        VisibilityTimeout: spec.visibilityTimeoutSeconds,
        RedrivePolicy: { maxReceiveCount: spec.maxReceiveCount },
        SqsManagedSseEnabled: true,
      });
      const drain = ofType('AWS::Lambda::EventSourceMapping').find(
        ([, m]) => m.Properties.FunctionName.Ref === fnId(spec.consumer),
      )![1];
      expect(drain.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: spec.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(actionsOn(spec.consumer, queueId)).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
      );
      const tableId = logicalId(stack.data.tables[consumer.table]);
      expect(actionsOn(spec.consumer, tableId)).toEqual(
        expect.arrayContaining(['dynamodb:GetShardIterator', 'dynamodb:GetRecords']),
      );
      // The redrive does what the consumer does: publish (outbox), or write the views (projector).
      const consumerSpec = functions[consumer.function] as FunctionSpec;
      const redriveSpec = functions[spec.consumer] as FunctionSpec;
      expect(actionsOn(spec.consumer, logicalId(stack.events.bus))).toEqual(
        consumerSpec.putsEvents ? ['events:PutEvents'] : [],
      );
      expect(redriveSpec.tables).toEqual(consumerSpec.tables);
      expect(redriveSpec.timeoutSeconds!).toBeLessThanOrEqual(spec.visibilityTimeoutSeconds);
    },
  );

  it('reconciliation may list and start fulfillment executions (stranded-order restart)', () => {
    const machineId = logicalId(stack.stateMachines.fulfillment.stateMachine);
    for (const name of ['reconciliation-segment'] as const) {
      expect(actionsOn(name, machineId)).toEqual(
        expect.arrayContaining(['states:StartExecution', 'states:ListExecutions']),
      );
    }
  });
});

describe('schedules', () => {
  it.each(schedules.map((schedule) => [schedule.name, schedule] as const))(
    '%s: expression → its function, with a role that may invoke exactly it',
    (_name, schedule) => {
      const match = ofType('AWS::Scheduler::Schedule').filter(
        ([, s]) => s.Properties.ScheduleExpression === schedule.expression,
      );
      expect(match).toHaveLength(1);
      const target = match[0]![1].Properties.Target;
      expect(target.Arn).toEqual(fnArn(schedule.target.function));
      const roleId = target.RoleArn['Fn::GetAtt'][0];
      const invoke = ofType('AWS::IAM::Policy')
        .filter(([, policy]) => mentions(policy.Properties.Roles, roleId))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[])
        .filter((statement) => asArray(statement.Action).includes('lambda:InvokeFunction'));
      expect(invoke.flatMap((statement) => asArray(statement.Resource))).toContainEqual(
        fnArn(schedule.target.function),
      );
      for (const statement of invoke)
        for (const [name] of specs) {
          if (name !== schedule.target.function) expect(mentions(statement.Resource, fnId(name))).toBe(false);
        }
    },
  );
});

describe('state machines', () => {
  it.each(Object.entries(stateMachines))(
    '%s: its type, from its ASL file, each placeholder → its function or child machine ARN',
    (machine, spec) => {
      const id = logicalId(stack.stateMachines[machine as keyof typeof stateMachines].stateMachine);
      const props = resources[id]!.Properties;
      expect(props.StateMachineType).toBe(spec.type);
      const asl = readFileSync(path.join(projectRoot, spec.definitionFile), 'utf8');
      const placeholders = [...new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]))].sort();
      const children = Object.entries(spec.childMachines ?? {});
      expect([...Object.keys(spec.taskFunctions), ...children.map(([p]) => p)].sort()).toEqual(placeholders);
      // DefinitionBody.fromFile ships the ASL file unchanged as an asset; CloudFormation substitutes the placeholders.
      const key = props.DefinitionS3Location.Key as string;
      expect(readFileSync(path.join(app.outdir, `asset.${key}`), 'utf8')).toBe(asl);
      expect(props.DefinitionSubstitutions).toEqual({
        ...Object.fromEntries(
          Object.entries(spec.taskFunctions).map(([placeholder, name]) => [placeholder, fnArn(name)]),
        ),
        ...Object.fromEntries(
          children.map(([placeholder, child]) => [
            placeholder,
            { Ref: logicalId(stack.stateMachines[child].stateMachine) },
          ]),
        ),
      });
      // Express runs have no execution history: their log is the record. Standard ones keep errors only.
      expect(props.LoggingConfiguration).toMatchObject({
        Level: spec.type === 'EXPRESS' ? 'ALL' : 'ERROR',
        IncludeExecutionData: false,
      });
      expect(props.LoggingConfiguration.Level).toBe(spec.logLevel);
      expect(props.TracingConfiguration).toEqual({ Enabled: true });

      const roleId = props.RoleArn['Fn::GetAtt'][0];
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, policy]) => mentions(policy.Properties.Roles, roleId))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);
      const invoked = statements
        .filter((statement) => asArray(statement.Action).includes('lambda:InvokeFunction'))
        .flatMap((statement) => asArray(statement.Resource));
      expect(invoked).toEqual(expect.arrayContaining(Object.values(spec.taskFunctions).map(fnArn)));
      expect(invoked).toHaveLength(new Set(Object.values(spec.taskFunctions)).size);
      const started = statements
        .filter((statement) => asArray(statement.Action).includes('states:StartExecution'))
        .flatMap((statement) => asArray(statement.Resource));
      expect(started).toEqual(
        children.map(([, child]) => ({ Ref: logicalId(stack.stateMachines[child].stateMachine) })),
      );

      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metric,
          Namespace: 'AWS/States',
          Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: id } }],
        });
      }
    },
  );

  it('fulfillment: a Standard parent runs the Express dispatch/record loop to completion', () => {
    expect(stateMachines.fulfillment.type).toBe('STANDARD');
    expect(stateMachines['fulfillment-steps'].type).toBe('EXPRESS');
    const parent = readFileSync(path.join(projectRoot, stateMachines.fulfillment.definitionFile), 'utf8');
    expect(parent).toContain('arn:aws:states:::states:startExecution.sync:2');
  });
});

describe('physical names', () => {
  it('no resource has a hard-coded name', () => {
    const nameProps = [
      'TableName',
      'FunctionName',
      'QueueName',
      'Name',
      'StateMachineName',
      'LogGroupName',
      'RoleName',
    ];
    for (const [id, resource] of Object.entries(resources)) {
      for (const prop of nameProps) {
        const value = resource.Properties?.[prop];
        // Names CloudFormation requires (event bus, REST API label, vended log groups) carry the stack name.
        if (typeof value !== 'string' || value.includes(stack.stackName)) continue;
        throw new Error(`${id} (${resource.Type}) has a hard-coded ${prop}: ${value}`);
      }
    }
  });
});

describe('bulkheads and fault injection', () => {
  it('reserved concurrency from the topology, and only there', () => {
    for (const [name, spec] of specs) {
      const fn = Object.values(resources).find(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === spec.description,
      );
      expect(fn?.Properties.ReservedConcurrentExecutions, name).toBe(spec.reservedConcurrency);
    }
    expect(specs.filter(([, s]) => s.reservedConcurrency !== undefined).map(([n]) => n)).toEqual(
      expect.arrayContaining(['order-create', 'order-cancel', 'quote-approval', 'order-repair']),
    );
  });

  it('a throttled integration answers 429 with Retry-After in the error shape', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'INTEGRATION_FAILURE',
      StatusCode: '429',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'1'" }),
    });
  });

  it('FIS error and latency templates per target function, stopped by alarms', () => {
    const templates = Object.values(resources).filter((r) => r.Type === 'AWS::FIS::ExperimentTemplate');
    const actions = templates.map(
      (t) => Object.values(t.Properties.Actions as Record<string, any>)[0].ActionId,
    );
    expect(new Set(actions)).toEqual(
      new Set(['aws:lambda:invocation-error', 'aws:lambda:invocation-add-delay']),
    );
    expect(templates.length).toBeGreaterThanOrEqual(8);
    for (const t of templates) {
      expect(t.Properties.StopConditions.length).toBeGreaterThanOrEqual(2);
      for (const stop of t.Properties.StopConditions) {
        expect(stop.Source).toBe('aws:cloudwatch:alarm');
        const alarmId = stop.Value['Fn::GetAtt'][0];
        expect(resources[alarmId]?.Type).toBe('AWS::CloudWatch::Alarm');
      }
      const target = Object.values(t.Properties.Targets as Record<string, any>)[0];
      expect(target.ResourceType).toBe('aws:lambda:function');
      const fnId = target.ResourceArns[0]['Fn::GetAtt'][0];
      const fn = resources[fnId]!;
      // The target carries the FIS extension and knows where FIS writes its configuration.
      expect(fn.Properties.Layers).toHaveLength(1);
      expect(fn.Properties.Environment.Variables).toMatchObject({
        AWS_LAMBDA_EXEC_WRAPPER: '/opt/aws-fis/bootstrap',
        AWS_FIS_CONFIGURATION_LOCATION: expect.anything(),
      });
    }
    const role = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::IAM::Role' &&
        JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('fis.amazonaws.com'),
    );
    expect(role).toBeDefined();
  });
});
