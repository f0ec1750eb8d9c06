import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { metricNamespace, metricService, signals } from '#signals';
import { freshnessAlarms } from '#slos';

/**
 * One alarm per view on its own lag stream (`ViewProjectionLag`, dimension `view`) against the p95
 * target its owner declared, and one on the search index lag (shared/slos.ts `freshnessAlarms`).
 * The local metrics sink evaluates the same alarms under the same names.
 */
export class FreshnessAlarms extends Construct {
  readonly alarms = new Map<string, cloudwatch.Alarm>();

  constructor(scope: Construct, id: string, props: { notify: IAlarmAction }) {
    super(scope, id);
    for (const a of freshnessAlarms) {
      const spec = signals[a.signal];
      const alarm = new cloudwatch.Alarm(this, a.name, {
        alarmDescription: `${spec.title}${a.split ? ` of ${a.split}` : ''}: p95 over its target of ${a.thresholdMs} ms (owner ${a.owner}). Runbook: ${spec.runbook}`,
        metric: new cloudwatch.Metric({
          namespace: metricNamespace,
          metricName: a.signal,
          dimensionsMap: {
            service: metricService,
            ...(a.split && spec.breakdown ? { [spec.breakdown]: a.split } : {}),
          },
          statistic: 'p95',
          period: Duration.seconds(a.periodSeconds),
          unit: cloudwatch.Unit.MILLISECONDS,
        }),
        threshold: a.thresholdMs,
        evaluationPeriods: a.evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(props.notify);
      alarm.addOkAction(props.notify);
      this.alarms.set(a.name, alarm);
    }
  }
}
