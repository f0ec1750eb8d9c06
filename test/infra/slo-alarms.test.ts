import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { viewCatalog } from '#domain/projections/view-catalog';
import { viewNames } from '#domain/projections/views';
import { burnWindows, errorBudget, sloAlarmName, sloNames, slos } from '#slos';
import { CpqOmsStack, cdkJsonContext } from '../../infra/stack.ts';

type Resource = { Type: string; Properties: Record<string, any> };
let stack: CpqOmsStack;
let resources: Record<string, Resource>;
/** The alarm topic as the nested stack sees it: the parameter its parent passes the topic's Ref in. */
let topicRef: { Ref: string };

beforeAll(() => {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  stack = new CpqOmsStack(app, 'SloTestStack');
  resources = Template.fromStack(stack.observability.sloStack).toJSON().Resources;
  const topic = JSON.stringify({
    Ref: stack.getLogicalId(stack.observability.topic.node.defaultChild as never),
  });
  const parent = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
  const passed = Object.values(parent)
    .filter((r) => r.Type === 'AWS::CloudFormation::Stack')
    .flatMap((r) => Object.entries((r.Properties.Parameters ?? {}) as Record<string, unknown>))
    .find(([, value]) => JSON.stringify(value) === topic);
  topicRef = { Ref: passed![0] };
});

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.observability.sloStack.getLogicalId(construct.node.defaultChild as never);

describe('SLO burn-rate alarms in CloudWatch (shared/slos.ts)', () => {
  it.each(sloNames)(
    '%s: a fast and a slow burn alarm, each long AND short window, notifying the alarm topic',
    (name) => {
      const slo = slos[name];
      for (const w of burnWindows) {
        const composite = stack.observability.slos.composites.get(sloAlarmName(name, w.name))!;
        const props = resources[logicalId(composite)]!.Properties;
        expect(props.AlarmName).toBe(`SloTestStack-${sloAlarmName(name, w.name)}`);
        expect(props.AlarmActions).toEqual([topicRef]);
        expect(JSON.stringify(props.AlarmRule)).toMatch(/ALARM\(.*\) AND ALARM\(/);
        // The member alarms: burn rate = bad / total / budget over the window's period, above its rate.
        const members = Object.values(resources).filter(
          (r) =>
            r.Type === 'AWS::CloudWatch::Alarm' &&
            String(r.Properties.AlarmDescription).includes(`${slo.title}: burn rate over`) &&
            r.Properties.Threshold === w.burnRate,
        );
        expect(members).toHaveLength(2);
        const periods = members.flatMap((m) =>
          m.Properties.Metrics.filter((x: any) => x.MetricStat).map((x: any) => x.MetricStat.Period),
        );
        expect(new Set(periods)).toEqual(new Set([w.longMinutes * 60, w.shortMinutes * 60]));
        for (const m of members) {
          const expression = m.Properties.Metrics.find((x: any) => x.Expression).Expression as string;
          expect(expression).toContain(`/ ${errorBudget(slo)}`);
          const names = m.Properties.Metrics.filter((x: any) => x.MetricStat).map(
            (x: any) => x.MetricStat.Metric.MetricName,
          );
          expect(new Set(names)).toEqual(new Set([...slo.bad, ...slo.total]));
          expect(m.Properties.Metrics.length).toBeLessThanOrEqual(10);
        }
      }
    },
  );

  it("alarms on each view's projection lag against its owner's target, and on the search index lag", () => {
    for (const view of viewNames) {
      const alarm = stack.observability.freshness.alarms.get(`ViewLag-${view}`)!;
      const props = resources[logicalId(alarm)]!.Properties;
      expect(props).toMatchObject({
        MetricName: 'ViewProjectionLag',
        ExtendedStatistic: 'p95',
        Threshold: viewCatalog[view].lagTargetMs,
        AlarmActions: [topicRef],
      });
      expect(props.Dimensions).toEqual(expect.arrayContaining([{ Name: 'view', Value: view }]));
    }
    const search = resources[logicalId(stack.observability.freshness.alarms.get('SearchIndexLag')!)]!;
    expect(search.Properties).toMatchObject({ MetricName: 'SearchIndexLag', Threshold: 60_000 });
  });
});
