import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { alarmOnMaximum, maxMetricsPerAlarm } from '../../infra/constructs/alarm-on-maximum.ts';

type Resource = { Type: string; Properties: Record<string, any> };

/** A dead-letter-depth alarm over `count` queues, as the observability construct builds it. */
const depthAlarmOver = (count: number) => {
  const stack = new Stack(new App(), 'Queues');
  const queues = Array.from({ length: count }, (_, i) => new sqs.Queue(stack, `Dlq${i}`));
  const alarm = alarmOnMaximum(stack, 'DeadLetterDepth', {
    alarmDescription: 'Messages in dead-letter queues. Runbook: redrive.',
    metrics: queues.map((q) =>
      q.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }),
    ),
    period: Duration.minutes(5),
    label: 'Messages in dead-letter queues',
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  });
  const resources: Record<string, Resource> = Template.fromStack(stack).toJSON().Resources;
  const queueIds = Object.keys(resources).filter((id) => resources[id]!.Type === 'AWS::SQS::Queue');
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  return { stack, alarm, queueIds, ofType };
};

const metricsOf = (alarm: Resource) =>
  (alarm.Properties.Metrics as { MetricStat?: unknown }[]).filter((m) => m.MetricStat);

describe('an alarm on the maximum of many metrics', () => {
  it.each([1, 10])('over %i queues is one metric-math alarm', (count) => {
    const { ofType } = depthAlarmOver(count);
    expect(ofType('AWS::CloudWatch::CompositeAlarm')).toEqual([]);
    const [[, alarm] = []] = ofType('AWS::CloudWatch::Alarm');
    expect(metricsOf(alarm!)).toHaveLength(count);
  });

  it.each([11, 23, 47])(
    'over %i queues: alarms of at most 10 metrics each, every queue in one, under a composite alarm',
    (count) => {
      const { stack, alarm, queueIds, ofType } = depthAlarmOver(count);
      const parts = ofType('AWS::CloudWatch::Alarm');
      expect(parts).toHaveLength(Math.ceil(count / maxMetricsPerAlarm));
      for (const [id, part] of parts) {
        expect(metricsOf(part).length, id).toBeLessThanOrEqual(maxMetricsPerAlarm);
        expect(part.Properties.AlarmActions, id).toBeUndefined();
      }
      const covered = queueIds.filter((q) =>
        parts.some(([, part]) => JSON.stringify(part).includes(`"${q}"`)),
      );
      expect(covered).toEqual(queueIds);
      const [[compositeId, composite] = []] = ofType('AWS::CloudWatch::CompositeAlarm');
      expect(compositeId).toBe(stack.getLogicalId(alarm.node.defaultChild as never));
      const rule = JSON.stringify(composite!.Properties.AlarmRule);
      for (const [id] of parts) expect(rule, id).toContain(id);
      expect(rule).not.toContain('AND');
    },
  );
});
