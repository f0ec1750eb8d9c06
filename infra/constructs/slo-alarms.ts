import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { SignalName } from '#signals';
import { burnWindows, errorBudget, type SloName, sloAlarmName, sloNames, slos } from '#slos';
import { stageAlarmName } from './alarm-on-maximum.ts';

export type SloAlarmsProps = {
  /** The catalog counter as a CloudWatch metric (Observability.metricOf). */
  metricOf: (name: SignalName, statistic: string, period: Duration) => cloudwatch.IMetric;
  notify: IAlarmAction;
};

/**
 * The SLOs of shared/slos.ts in CloudWatch: per SLO and burn window, the burn rate (bad / total /
 * error budget, metric math over the catalog counters) over the long and over the short window, and
 * a composite alarm that fires while both exceed the window's rate (fast burn pages, slow burn
 * tickets). The local metrics sink evaluates the same definitions under the same names.
 */
export class SloAlarms extends Construct {
  readonly composites = new Map<string, cloudwatch.CompositeAlarm>();

  constructor(scope: Construct, id: string, props: SloAlarmsProps) {
    super(scope, id);
    for (const name of sloNames) {
      const slo = slos[name];
      for (const w of burnWindows) {
        const burnOver = (minutes: number, label: string) => {
          const period = Duration.minutes(minutes);
          const usingMetrics: Record<string, cloudwatch.IMetric> = {};
          slo.bad.forEach((s, i) => {
            usingMetrics[`b${i}`] = props.metricOf(s, 'Sum', period);
          });
          slo.total.forEach((s, i) => {
            usingMetrics[`t${i}`] = props.metricOf(s, 'Sum', period);
          });
          const sumOf = (prefix: string, n: number) =>
            Array.from({ length: n }, (_, i) => `FILL(${prefix}${i}, 0)`).join(' + ');
          const bad = sumOf('b', slo.bad.length);
          const total = sumOf('t', slo.total.length);
          return new cloudwatch.Alarm(this, `${pascal(name)}${pascal(w.name)}${label}`, {
            // A part notifies through its composite alarm (which carries the runbook).
            alarmDescription: `Part ${label === 'Long' ? 1 : 2} of ${sloAlarmName(name, w.name)}: ${slo.title}: burn rate over ${minutes} min > ${w.burnRate} (objective ${slo.objective}, ${slo.windowDays} d).`,
            metric: new cloudwatch.MathExpression({
              expression: `IF((${total}) > 0, (${bad}) / (${total}) / ${errorBudget(slo)}, 0)`,
              usingMetrics,
              period,
              label: `${slo.title} burn rate (${minutes} min)`,
            }),
            threshold: w.burnRate,
            evaluationPeriods: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          });
        };
        const long = burnOver(w.longMinutes, 'Long');
        const short = burnOver(w.shortMinutes, 'Short');
        const composite = new cloudwatch.CompositeAlarm(this, `${pascal(name)}${pascal(w.name)}Burn`, {
          compositeAlarmName: stageAlarmName(this, sloAlarmName(name, w.name)),
          alarmDescription:
            `${slo.title} (SLO ${slo.objective} over ${slo.windowDays} d, owner ${slo.ownerTeam}): ${w.name} burn ` +
            `(> ${w.burnRate}× over ${w.longMinutes} min and ${w.shortMinutes} min), ${w.action}. ${slo.journey}. ` +
            'Runbook: open the dashboard of the burning signals; find what changed in the last hour (release, catalog, downstream) and roll it back or stop it.',
          alarmRule: cloudwatch.AlarmRule.allOf(
            cloudwatch.AlarmRule.fromAlarm(long, cloudwatch.AlarmState.ALARM),
            cloudwatch.AlarmRule.fromAlarm(short, cloudwatch.AlarmState.ALARM),
          ),
        });
        composite.addAlarmAction(props.notify);
        composite.addOkAction(props.notify);
        this.composites.set(sloAlarmName(name, w.name), composite);
      }
    }
  }
}

const pascal = (s: SloName | string) =>
  s
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
