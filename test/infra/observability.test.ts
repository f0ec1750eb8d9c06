import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { dashboards, signalNames, signals } from '#signals';
import { widgets, widgetsOf } from '#widgets';
import { CpqOmsStack, cdkJsonContext } from '../../infra/stack.ts';

type Resource = { Type: string; Properties: Record<string, any> };
const alarmEmails = ['oncall@ops.example.com', 'oms-platform@ops.example.com'];
let stack: CpqOmsStack;
let resources: Record<string, Resource>;

beforeAll(() => {
  const app = new App({
    context: { ...cdkJsonContext(), alarmEmail: alarmEmails.join(','), 'aws:cdk:bundling-stacks': [] },
  });
  stack = new CpqOmsStack(app, 'ObservabilityTestStack');
  resources = Template.fromStack(stack).toJSON().Resources;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);
const bodyOf = (name: string) =>
  JSON.stringify(
    resources[logicalId(stack.observability.dashboards.get(name as never)!)]!.Properties.DashboardBody,
  );
const topicRef = () => ({ Ref: logicalId(stack.observability.topic) });

describe('CloudWatch from the signal catalog', () => {
  it('builds the four operational dashboards and a technical one', () => {
    expect(ofType('AWS::CloudWatch::Dashboard')).toHaveLength(Object.keys(dashboards).length + 1);
    for (const [name, spec] of Object.entries(dashboards)) {
      const body = bodyOf(name);
      expect(body, name).toContain(spec.decision);
      expect(body, name).toContain(spec.ownerTeam);
    }
  });

  it.each(signalNames)('%s has a widget on its dashboard, marked leading or lagging', (name) => {
    const spec = signals[name];
    const body = bodyOf(spec.dashboard);
    expect(body).toContain(`[${spec.indicator}] ${spec.title}`);
    if (spec.producer.kind === 'emitted') expect(body).toContain(`\\"${name}\\"`);
    if (spec.breakdown && spec.producer.kind === 'emitted')
      expect(body).toContain(`${spec.breakdown}} MetricName=\\\\\\"${name}`);
  });

  it.each(signalNames.filter((n) => signals[n].alarm))(
    '%s has an alarm with its threshold and runbook, notifying the topic',
    (name) => {
      const spec = signals[name];
      const alarmId = logicalId(stack.observability.alarms.get(name)!);
      const alarm = resources[alarmId]!;
      expect(alarm.Properties.AlarmDescription).toContain(`(${name})`);
      expect(alarm.Properties.AlarmDescription).toContain(spec.runbook);
      expect(alarm.Properties.AlarmActions).toEqual([topicRef()]);
      // Beyond CloudWatch's 10 metrics the alarm is a composite over parts that hold the metrics.
      const parts =
        alarm.Type === 'AWS::CloudWatch::CompositeAlarm'
          ? ofType('AWS::CloudWatch::Alarm').filter(([id]) =>
              id.startsWith(`${alarmId.replace(/[A-F0-9]{8}$/, '')}Part`),
            )
          : [[alarmId, alarm] as const];
      expect(parts.length).toBeGreaterThan(0);
      for (const [, part] of parts) {
        expect(part.Properties.Threshold).toBe(spec.alarm!.threshold);
        expect(part.Properties.EvaluationPeriods).toBe(spec.alarm!.evaluationPeriods);
        expect(part.Properties.TreatMissingData).toBe('notBreaching');
        const metrics = JSON.stringify(part.Properties.Metrics ?? part);
        if (spec.producer.kind === 'emitted') expect(metrics).toContain(name);
        if (spec.producer.kind === 'aws') expect(metrics).toContain(spec.producer.metricName);
      }
    },
  );

  it.each(widgets.map((w) => [w.id, w] as const))(
    '%s says its decision, owner and freshness on its CloudWatch dashboard',
    (_, w) => {
      const body = bodyOf(w.dashboard);
      const row = `| ${w.title.replaceAll('|', '/')} | ${w.decision.replaceAll('|', '/')} | ${w.ownerTeam} | ${w.freshness.replaceAll('|', '/')} |`;
      expect(body).toContain(row.replaceAll('"', '\\"'));
    },
  );

  it('draws state × age and the funnel as bars of every breakdown value', () => {
    for (const w of widgets.filter((x) => x.shape === 'stateAge' || x.shape === 'funnel')) {
      const body = bodyOf(w.dashboard);
      const bars = new RegExp(
        `view\\W+bar\\W+title\\W+[^"\\\\]+\\W+region.{0,200}SEARCH\\('\\{CpqOms,service,${signals[w.signal].breakdown}\\} MetricName=\\W+${w.signal}\\W`,
      );
      expect(body, w.id).toMatch(bars);
    }
  });

  it('keeps every dashboard within CloudWatch limits (500 widgets, body size)', () => {
    for (const name of [...Object.keys(dashboards), 'technical']) {
      const raw =
        resources[logicalId(stack.observability.dashboards.get(name as never)!)]!.Properties.DashboardBody;
      // The body is a Fn::Join of literal parts and references (names, regions): count the literal JSON.
      const text = JSON.stringify(raw);
      const widgetCount = (text.match(/\\"type\\":\\"/g) ?? []).length;
      expect(widgetCount, name).toBeGreaterThan(0);
      expect(widgetCount, name).toBeLessThanOrEqual(500);
      expect(text.length, name).toBeLessThan(100_000);
    }
    for (const name of Object.keys(dashboards))
      expect(widgetsOf(name as keyof typeof dashboards).length).toBeGreaterThan(0);
  });

  it('alarms on the depth of every dead-letter queue', () => {
    const queues = ofType('AWS::SQS::Queue').map(([id]) => id);
    expect(queues.length).toBeGreaterThan(0);
    // One alarm, or (beyond CloudWatch's 10 metrics) its parts under a composite alarm.
    const alarm = JSON.stringify(
      Object.entries(resources).filter(([id]) => id.startsWith('ObservabilityAlarmDeadLetterDepth')),
    );
    for (const q of queues) expect(alarm, q).toContain(`"${q}"`);
  });

  it("keeps every metric-math alarm within CloudWatch's 10 metrics", () => {
    for (const [id, alarm] of ofType('AWS::CloudWatch::Alarm')) {
      const metrics = (alarm.Properties.Metrics ?? []).filter((m: { MetricStat?: unknown }) => m.MetricStat);
      expect(metrics.length, id).toBeLessThanOrEqual(10);
    }
  });

  it('alarms on the iterator age of every stream consumer', () => {
    const alarm = JSON.stringify(resources[logicalId(stack.observability.alarms.get('StreamIteratorAge')!)]);
    for (const fn of ['outbox-publisher', 'projector'] as const)
      expect(alarm).toContain(logicalId(stack.functions.get(fn)));
  });

  it('has one composite alarm "orders at risk" over the member alarms', () => {
    const composites = ofType('AWS::CloudWatch::CompositeAlarm').filter(([, c]) =>
      String(c.Properties.AlarmDescription).startsWith('Orders at risk'),
    );
    expect(composites).toHaveLength(1);
    const props = composites[0]![1].Properties;
    const rule = JSON.stringify(props.AlarmRule);
    const members = signalNames.filter((n) => signals[n].alarm?.ordersAtRisk);
    for (const m of members) expect(rule, m).toContain(logicalId(stack.observability.alarms.get(m)!));
    expect(props.AlarmDescription).toMatch(/Orders at risk/);
    expect(props.AlarmActions).toEqual([topicRef()]);
  });

  it('notifies through a KMS-encrypted topic with a rotating key and TLS only', () => {
    const topic = resources[logicalId(stack.observability.topic)]!.Properties;
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    const keyId = topic.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    const policy = ofType('AWS::SNS::TopicPolicy')[0]![1];
    expect(JSON.stringify(policy)).toContain('aws:SecureTransport');
  });

  it("lets this stage's CloudWatch alarms, and only those, publish to the topic (a topic policy replaces the default)", () => {
    const [policy, ...others] = ofType('AWS::SNS::TopicPolicy').map(([, p]) => p.Properties);
    expect(others).toEqual([]);
    expect(policy!.Topics).toEqual([topicRef()]);
    const allows = policy!.PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Sid: 'CloudWatchAlarmsOfThisStage',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicRef(),
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudwatch:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  `:alarm:${stack.stackName}-*`,
                ],
              ],
            },
          },
        },
      },
    ]);
    // CloudFormation names an alarm `<stack name>-<logical id>-<suffix>`; composite alarms are named alike.
    for (const [id, alarm] of ofType('AWS::CloudWatch::Alarm'))
      expect(alarm.Properties.AlarmName, id).toBeUndefined();
    for (const [id, alarm] of ofType('AWS::CloudWatch::CompositeAlarm'))
      expect(alarm.Properties.AlarmName, id).toMatch(new RegExp(`^${stack.stackName}-`));
  });

  it('subscribes the alarm recipients from CDK context (alarmEmail) to the topic', () => {
    const subscriptions = ofType('AWS::SNS::Subscription').map(([, s]) => s.Properties);
    expect(subscriptions).toEqual(
      alarmEmails.map((email) => ({ Protocol: 'email', Endpoint: email, TopicArn: topicRef() })),
    );
  });

  it('gives every operational alarm an action and a runbook (FIS stop conditions aside)', () => {
    const operational = ofType('AWS::CloudWatch::Alarm').filter(([id]) => id.startsWith('Observability'));
    expect(operational.length).toBeGreaterThan(signalNames.filter((n) => signals[n].alarm).length);
    // Parts of an alarm split at CloudWatch's metric limit notify through their composite alarm.
    const notifying = operational.filter(
      ([, alarm]) => !/^Part \d+ of/.test(alarm.Properties.AlarmDescription),
    );
    for (const [id, alarm] of notifying) {
      expect(alarm.Properties.AlarmActions, id).toEqual([topicRef()]);
      expect(alarm.Properties.AlarmDescription, id).toMatch(/Runbook:/);
    }
  });

  it('shows API, Lambda, stream, Step Functions, EventBridge and dead-letter health on the technical dashboard', () => {
    const body = bodyOf('technical');
    for (const metric of [
      'Latency',
      '4XXError',
      '5XXError',
      'Errors',
      'Throttles',
      'Duration',
      'IteratorAge',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'FailedInvocations',
      'ApproximateNumberOfMessagesVisible',
    ])
      expect(body, metric).toContain(metric);
  });
});
