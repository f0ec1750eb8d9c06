import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { rootStackName } from './stage.ts';

/** CloudWatch refuses a metric-math alarm over more metrics than this (a hard limit). */
export const maxMetricsPerAlarm = 10;

/**
 * The name of an alarm CloudFormation cannot name itself: the stage's stack name first, like
 * the names CloudFormation generates (`<stack name>-<logical id>-<suffix>`), so one ARN prefix
 * (`alarm:<stack name>-*`) covers every alarm of a stage, nested stacks included.
 */
export const stageAlarmName = (scope: Construct, id: string): string => `${rootStackName(scope)}-${id}`;

/** The largest value of any of `metrics` (one math expression; CloudWatch limits apply to alarms only). */
export const maximumOf = (
  metrics: cloudwatch.IMetric[],
  period: Duration,
  label: string,
): cloudwatch.MathExpression =>
  new cloudwatch.MathExpression({
    expression: `MAX([${metrics.map((_, i) => `m${i}`).join(',')}])`,
    usingMetrics: Object.fromEntries(metrics.map((metric, i) => [`m${i}`, metric])),
    period,
    label,
  });

export type AlarmOnMaximumProps = Omit<cloudwatch.AlarmProps, 'metric'> & {
  metrics: cloudwatch.IMetric[];
  period: Duration;
  label: string;
};

/**
 * An alarm on the maximum of any number of metrics: one metric-math alarm while they fit
 * CloudWatch's limit, otherwise one alarm per slice of at most `maxMetricsPerAlarm` metrics under
 * a composite alarm that is in ALARM when any slice is. Actions belong on the returned alarm.
 */
export const alarmOnMaximum = (
  scope: Construct,
  id: string,
  props: AlarmOnMaximumProps,
): cloudwatch.AlarmBase => {
  const { metrics, period, label, ...alarmProps } = props;
  if (metrics.length <= maxMetricsPerAlarm)
    return new cloudwatch.Alarm(scope, id, { ...alarmProps, metric: maximumOf(metrics, period, label) });
  const slices = Array.from({ length: Math.ceil(metrics.length / maxMetricsPerAlarm) }, (_, i) =>
    metrics.slice(i * maxMetricsPerAlarm, (i + 1) * maxMetricsPerAlarm),
  );
  const parts = slices.map(
    (slice, i) =>
      new cloudwatch.Alarm(scope, `${id}Part${i}`, {
        ...alarmProps,
        alarmDescription: `Part ${i + 1} of ${slices.length}, notified through its composite alarm. ${alarmProps.alarmDescription ?? ''}`,
        metric: maximumOf(slice, period, `${label} (${i + 1}/${slices.length})`),
      }),
  );
  return new cloudwatch.CompositeAlarm(scope, id, {
    compositeAlarmName: stageAlarmName(scope, id),
    alarmDescription: alarmProps.alarmDescription,
    alarmRule: cloudwatch.AlarmRule.anyOf(
      ...parts.map((part) => cloudwatch.AlarmRule.fromAlarm(part, cloudwatch.AlarmState.ALARM)),
    ),
  });
};
