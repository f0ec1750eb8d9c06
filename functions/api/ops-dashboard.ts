import { readGaugeSignals } from '#adapters/signal-readings';
import { apiHandler } from '#plumbing/http/api-handler';
import { dashboards, metricNamespace, signalNames, signals } from '#signals';
import { widgets } from '#widgets';

/**
 * `GET /ops/dashboard`: every signal of the catalog (shared/signals.ts) with its dashboard,
 * owner, decision, leading/lagging and alarm threshold. Gauges carry their current value and
 * when it was brought up to date, read from the gauge items (a handful of items, whatever the
 * number of orders and quotes). Counters and KPIs are rates: their values live in CloudWatch
 * (locally in GET /ops/local/metrics), so here they name the metric instead of a value.
 * `widgets` are the dashboards' widgets (shared/widgets.ts, the same the CloudWatch dashboards
 * show), each with its decision, owner, freshness and the reading of its signal.
 */
export const handler = apiHandler({
  operation: 'ops-dashboard',
  roles: ['ops'],
  handle: async (req) => {
    const now = req.now;
    const readings = await readGaugeSignals(now);
    const lag = readings.ProjectionLag?.detail as { dataCurrentThrough?: string; at?: string } | undefined;
    return {
      status: 200,
      body: {
        computedAt: now,
        freshness: {
          dataCurrentThrough: lag?.dataCurrentThrough ?? null,
          projectionLagP95Ms: readings.ProjectionLag?.value ?? null,
          lastProjectedAt: lag?.at ?? null,
        },
        dashboards: Object.fromEntries(
          Object.entries(dashboards).map(([name, spec]) => [
            name,
            {
              ...spec,
              signals: signalNames.filter((s) => signals[s].dashboard === name),
              widgets: widgets.filter((w) => w.dashboard === name).map((w) => w.id),
            },
          ]),
        ),
        widgets: widgets.map((w) => {
          const reading = readings[w.signal];
          return {
            ...w,
            value: reading?.value ?? null,
            asOf: reading?.asOf ?? null,
            ...(reading?.split ? { split: reading.split } : {}),
            ...(reading?.detail ? { detail: reading.detail } : {}),
          };
        }),
        signals: Object.fromEntries(
          signalNames.map((name) => {
            const spec = signals[name];
            const reading = readings[name];
            return [
              name,
              {
                title: spec.title,
                kind: spec.kind,
                unit: spec.unit,
                value: reading?.value ?? null,
                asOf: reading?.asOf ?? null,
                computedAt: now,
                source:
                  reading?.source ??
                  `rate: CloudWatch ${metricNamespace}/${name} (${spec.statistic} per period); locally GET /ops/local/metrics`,
                dashboard: spec.dashboard,
                indicator: spec.indicator,
                ownerTeam: spec.ownerTeam,
                decision: spec.decision,
                runbook: spec.runbook,
                ...(spec.alarm
                  ? { alarm: { threshold: spec.alarm.threshold, comparison: spec.alarm.comparison } }
                  : {}),
                ...(reading?.detail ? { detail: reading.detail } : {}),
              },
            ];
          }),
        ),
      },
    };
  },
});
