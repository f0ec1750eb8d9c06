import { Duration, NestedStack, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  type AlarmSpec,
  type DashboardName,
  dashboards,
  metricNamespace,
  metricService,
  type SignalName,
  signalNames,
  signals,
} from '#signals';
import { streamConsumers } from '#topology';
import { type WidgetSpec, widgetsOf } from '#widgets';
import { alarmOnMaximum, maximumOf, stageAlarmName } from './alarm-on-maximum.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { FreshnessAlarms } from './freshness-alarms.ts';
import type { DomainFunctions } from './functions.ts';
import { ParkedQueue } from './queues.ts';
import { SloAlarms } from './slo-alarms.ts';

export type ObservabilityProps = {
  functions: DomainFunctions;
  /** Who receives alarm notifications (CDK context `alarmEmail`); none leaves the topic unsubscribed. */
  alarmEmails: string[];
  restApi: apigateway.RestApi;
  stateMachines: sfn.StateMachine[];
  bus: events.IEventBus;
};

const fiveMinutes = Duration.minutes(5);
const comparisonOf = (a: AlarmSpec) =>
  a.comparison === 'GreaterThanThreshold'
    ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
    : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;

/**
 * CloudWatch built from the signal catalog (shared/signals.ts): one dashboard per operational
 * dashboard of requirements 003 §9 plus a technical one, an alarm per thresholded signal with its
 * runbook in the description, the composite "orders at risk", all notifying one KMS-encrypted
 * SNS topic. The local metrics sink evaluates the same alarm definitions.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly alarms = new Map<SignalName, cloudwatch.AlarmBase>();
  readonly ordersAtRisk: cloudwatch.CompositeAlarm;
  readonly slos: SloAlarms;
  readonly freshness: FreshnessAlarms;
  /** The SLO burn-rate and view-freshness alarms: a nested stack, so the main one keeps its headroom. */
  readonly sloStack: NestedStack;
  readonly dashboards = new Map<DashboardName | 'technical', cloudwatch.Dashboard>();
  private readonly queues: sqs.Queue[];
  private readonly props: ObservabilityProps;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.props = props;
    // Dead letters, and batches parked on a stream's on-failure queue waiting for their redrive.
    this.queues = Stack.of(this)
      .node.findAll()
      .filter((c): c is sqs.Queue => c instanceof DeadLetterQueue || c instanceof ParkedQueue);

    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the CPQ/OMS alarm notifications topic',
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to the encrypted topic: they need the key for that alone.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'CPQ/OMS alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.allowAlarmsToPublish();
    for (const email of props.alarmEmails) this.topic.addSubscription(new EmailSubscription(email));
    const notify = new SnsAction(this.topic);

    for (const name of signalNames) {
      const spec = signals[name];
      if (!spec.alarm) continue;
      const period = Duration.seconds(spec.alarm.periodSeconds);
      const alarmProps = {
        alarmDescription: `${spec.title} (${name}). Runbook: ${spec.runbook} Owner: ${spec.ownerTeam}. Decision: ${spec.decision}.`,
        threshold: spec.alarm.threshold,
        evaluationPeriods: spec.alarm.evaluationPeriods,
        comparisonOperator: comparisonOf(spec.alarm),
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      };
      const alarm =
        spec.producer.kind === 'aws'
          ? alarmOnMaximum(this, `Alarm${name}`, {
              ...alarmProps,
              metrics: this.awsMetrics(spec.producer.metricName, period),
              period,
              label: spec.title,
            })
          : new cloudwatch.Alarm(this, `Alarm${name}`, {
              ...alarmProps,
              metric: this.metricOf(name, spec.alarm.statistic, period),
            });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.alarms.set(name, alarm);
    }

    const atRisk = signalNames.filter((n) => signals[n].alarm?.ordersAtRisk);
    this.ordersAtRisk = new cloudwatch.CompositeAlarm(this, 'OrdersAtRisk', {
      compositeAlarmName: stageAlarmName(this, 'OrdersAtRisk'),
      alarmDescription:
        `Orders at risk: ${atRisk.join(', ')}. Runbook: open the order operations dashboard; the member ` +
        'alarm in ALARM names its own runbook. Customer commitments may be late; tell account teams if it lasts over 1 h.',
      alarmRule: cloudwatch.AlarmRule.anyOf(
        ...atRisk.map((n) =>
          cloudwatch.AlarmRule.fromAlarm(this.alarms.get(n)!, cloudwatch.AlarmState.ALARM),
        ),
      ),
    });
    this.ordersAtRisk.addAlarmAction(notify);
    this.ordersAtRisk.addOkAction(notify);
    this.sloStack = new NestedStack(this, 'SloAlarms', {
      description: 'SLO burn-rate alarms (fast and slow burn) and per-view freshness alarms',
    });
    this.slos = new SloAlarms(this.sloStack, 'Slos', {
      metricOf: (n, s, p) => this.metricOf(n, s, p),
      notify,
    });
    this.freshness = new FreshnessAlarms(this.sloStack, 'Freshness', { notify });

    const technical = this.technicalAlarms(props);
    for (const a of technical) {
      a.addAlarmAction(notify);
      a.addOkAction(notify);
    }

    for (const [name, spec] of Object.entries(dashboards) as [
      DashboardName,
      (typeof dashboards)[DashboardName],
    ][]) {
      const own = widgetsOf(name);
      const dashboard = new cloudwatch.Dashboard(this, `Dashboard-${name}`, {
        defaultInterval: Duration.hours(6),
      });
      dashboard.addWidgets(
        new cloudwatch.TextWidget({
          markdown: `# ${spec.title}\n**Decision:** ${spec.decision}  \n**Owner:** ${spec.ownerTeam} · used ${spec.cadence}  \nLeading indicators first. Each widget below: the decision it supports, its owner and its freshness.`,
          width: 24,
          height: 3,
        }),
        widgetGuide(own),
      );
      const alarms = own.flatMap((w) => (this.alarms.has(w.signal) ? [this.alarms.get(w.signal)!] : []));
      if (alarms.length > 0)
        dashboard.addWidgets(
          new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: 2 }),
        );
      dashboard.addWidgets(...own.flatMap((w) => this.widgetsOf(w)));
      this.dashboards.set(name, dashboard);
    }
    this.dashboards.set('technical', this.technicalDashboard(props, technical));
  }

  /** The catalog signal as a CloudWatch metric (its total stream: dimension `service` only). */
  metricOf(name: SignalName, statistic: string, period: Duration): cloudwatch.IMetric {
    const spec = signals[name];
    const p = spec.producer;
    if (p.kind === 'ratio') {
      return new cloudwatch.MathExpression({
        expression: '100 * n / d',
        usingMetrics: {
          n: this.metricOf(p.numerator as SignalName, 'Sum', period),
          d: this.metricOf(p.denominator as SignalName, 'Sum', period),
        },
        period,
        label: spec.title,
      });
    }
    if (p.kind === 'aws') return maximumOf(this.awsMetrics(p.metricName, period), period, spec.title);
    return new cloudwatch.Metric({
      namespace: metricNamespace,
      metricName: name,
      dimensionsMap: { service: metricService },
      statistic,
      period,
      unit: cloudwatch.Unit[spec.unit.toUpperCase() as keyof typeof cloudwatch.Unit],
      label: spec.title,
    });
  }

  /** Every stream consumer's iterator age, or every dead-letter and parked queue's depth. */
  private awsMetrics(metricName: string, period: Duration): cloudwatch.IMetric[] {
    return metricName === 'IteratorAge'
      ? streamConsumers.map((c) =>
          this.props.functions.get(c.function).metric('IteratorAge', { statistic: 'Maximum', period }),
        )
      : this.queues.map((q) => q.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period }));
  }

  /**
   * A topic policy replaces the default one, and enforceSSL's only denies: without this allow,
   * CloudWatch cannot publish and every alarm changes state silently. Only alarms of this
   * account whose names start with this stage's stack name (`stageAlarmName`) may publish.
   */
  private allowAlarmsToPublish(): void {
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisStage',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: {
            'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:${stageAlarmName(this, '*')}`,
          },
        },
      }),
    );
  }

  /** Rules on a custom bus publish FailedInvocations with both EventBusName and RuleName. */
  private ruleFailures(rule: events.Rule): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensionsMap: { EventBusName: this.props.bus.eventBusName, RuleName: rule.ruleName },
      statistic: 'Sum',
      period: fiveMinutes,
      label: rule.node.id,
    });
  }

  private rules(): events.Rule[] {
    return Stack.of(this)
      .node.findAll()
      .filter((c): c is events.Rule => c instanceof events.Rule);
  }

  /** A catalog widget: its number (or trend), and its breakdown as bars (state × age, funnel) or lines. */
  private widgetsOf(widget: WidgetSpec): cloudwatch.IWidget[] {
    const name = widget.signal;
    const spec = signals[name];
    const title = `[${spec.indicator}] ${spec.title} · owner ${widget.ownerTeam}`;
    const metric = this.metricOf(name, spec.statistic, fiveMinutes);
    const main =
      widget.shape === 'trend'
        ? new cloudwatch.GraphWidget({
            title,
            left: [metric],
            leftAnnotations: spec.alarm ? [{ value: spec.alarm.threshold, label: 'alarm' }] : undefined,
            width: 8,
            height: 5,
          })
        : new cloudwatch.SingleValueWidget({
            title,
            metrics: [metric],
            sparkline: true,
            width: 8,
            height: 5,
          });
    if (!spec.breakdown || spec.producer.kind !== 'emitted') return [main];
    // Rule 3 (reason codes, not just counts): every value of the breakdown dimension.
    const search = new cloudwatch.MathExpression({
      expression: `SEARCH('{${metricNamespace},service,${spec.breakdown}} MetricName="${name}"', '${spec.statistic === 'p95' ? 'p95' : spec.statistic}', 300)`,
      label: `${name} by ${spec.breakdown}`,
      period: fiveMinutes,
    });
    const bars = widget.shape === 'stateAge' || widget.shape === 'funnel';
    return [
      main,
      new cloudwatch.GraphWidget({
        title: `${spec.title} by ${spec.breakdown}`,
        left: [search],
        ...(bars ? { view: cloudwatch.GraphWidgetView.BAR } : {}),
        width: bars ? 16 : 8,
        height: 5,
      }),
    ];
  }

  private technicalAlarms(props: ObservabilityProps): cloudwatch.Alarm[] {
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string) =>
      new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    const machines = props.stateMachines.flatMap((machine, i) => [
      alarm(
        `ExecutionsFailed${i}`,
        machine.metricFailed({ period: fiveMinutes }),
        'A fulfillment execution failed. Runbook: open the execution history; the order stays held with its fallout; repair via POST /ops/orders/{id}/tasks/{task}/repair.',
      ),
      alarm(
        `ExecutionsTimedOut${i}`,
        machine.metricTimedOut({ period: fiveMinutes }),
        'A fulfillment execution timed out. Runbook: the reconciliation check order-execution-started restarts it through the safe path; check the downstream that held it.',
      ),
    ]);
    const rules = this.rules().map((rule, i) =>
      alarm(
        `FailedInvocations${i}`,
        this.ruleFailures(rule),
        `EventBridge rule ${rule.node.id} could not invoke its target. Runbook: events go to the rule's dead-letter queue; fix the target, then redrive.`,
      ),
    );
    const api5xx = new cloudwatch.Alarm(this, 'Api5xx', {
      alarmDescription:
        'API 5xx responses. Runbook: a 5xx is a defect or an outage, never a client error; find the correlation id in the function logs.',
      metric: props.restApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return [...machines, ...rules, api5xx];
  }

  private technicalDashboard(props: ObservabilityProps, alarms: cloudwatch.Alarm[]): cloudwatch.Dashboard {
    const fns = props.functions.all();
    const apiName = props.restApi.restApiName;
    const perRoute = (metricName: string, statistic: string, title: string) =>
      new cloudwatch.GraphWidget({
        title,
        width: 8,
        height: 6,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{AWS/ApiGateway,ApiName,Method,Resource,Stage} MetricName="${metricName}" ApiName="${apiName}"', '${statistic}', 300)`,
            label: `${metricName} by route`,
            period: fiveMinutes,
          }),
        ],
      });
    const perFunction = (metricName: string, statistic: string, title: string) =>
      new cloudwatch.GraphWidget({
        title,
        width: 8,
        height: 6,
        left: fns.map((fn) =>
          fn.metric(metricName, { statistic, period: fiveMinutes, label: fn.functionKey }),
        ),
      });
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard-technical', {
      defaultInterval: Duration.hours(3),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# Technical health\n**Decision:** is the platform itself degraded (latency, errors, saturation, lag)? **Owner:** oms-platform on-call.',
        width: 24,
        height: 2,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Technical alarms', alarms, width: 24, height: 3 }),
      perRoute('Latency', 'p95', 'API latency p95 by route'),
      perRoute('4XXError', 'Sum', 'API 4xx by route'),
      perRoute('5XXError', 'Sum', 'API 5xx by route'),
      perFunction('Errors', 'Sum', 'Lambda errors'),
      perFunction('Throttles', 'Sum', 'Lambda throttles'),
      perFunction('Duration', 'p95', 'Lambda duration p95'),
      new cloudwatch.GraphWidget({
        title: 'Stream iterator age',
        width: 8,
        height: 6,
        left: streamConsumers.map((c) =>
          props.functions
            .get(c.function)
            .metric('IteratorAge', { statistic: 'Maximum', period: fiveMinutes, label: c.function }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Step Functions failures and timeouts',
        width: 8,
        height: 6,
        left: props.stateMachines.flatMap((m) => [
          m.metricFailed({ period: fiveMinutes }),
          m.metricTimedOut({ period: fiveMinutes }),
        ]),
      }),
      new cloudwatch.GraphWidget({
        title: 'EventBridge failed invocations',
        width: 8,
        height: 6,
        left: this.rules().map((rule) => this.ruleFailures(rule)),
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queue depth',
        width: 8,
        height: 6,
        left: this.queues.map((q) =>
          q.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: fiveMinutes,
            label: q.node.path,
          }),
        ),
      }),
    );
    return dashboard;
  }
}

const cell = (text: string) => text.replaceAll('|', '/').replaceAll('\n', ' ');

/** Requirements 003 §19 rules 1, 4, 5 on the dashboard itself: each widget's decision, owner, freshness. */
const widgetGuide = (own: WidgetSpec[]): cloudwatch.TextWidget =>
  new cloudwatch.TextWidget({
    markdown: [
      '| Widget | Decision | Owner | Freshness | Drill-down |',
      '|---|---|---|---|---|',
      ...own.map(
        (w) =>
          `| ${cell(w.title)} | ${cell(w.decision)} | ${w.ownerTeam} | ${cell(w.freshness)} | ${w.query ? `\`${w.query}\`` : '—'} |`,
      ),
    ].join('\n'),
    width: 24,
    height: Math.min(2 + own.length, 20),
  });
