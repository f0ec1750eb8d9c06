import { putSummaryGauge } from '#adapters/gauge-store';
import { pruneEmptyHours, readGaugeSignals, sampleTimeGauges } from '#adapters/signal-readings';
import { emitGauge } from '#plumbing/metrics';
import { withObservability } from '#plumbing/observability-middleware';
import { type SignalName, signals } from '#signals';

/**
 * Every minute: counts the clock-driven gauges (quotes past validity, approvals past due), then
 * emits every gauge of the catalog as a metric, so CloudWatch alarms see a level each period
 * even when nothing happens, and drops the dashboard gauges' empty hours. Reads gauge items and
 * key ranges, never every row.
 */
const run = async (): Promise<{ emitted: number }> => {
  const now = new Date().toISOString();
  await putSummaryGauge('sampled', await sampleTimeGauges(now));
  const readings = await readGaugeSignals(now);
  let emitted = 0;
  for (const [name, reading] of Object.entries(readings) as [
    SignalName,
    NonNullable<(typeof readings)[SignalName]>,
  ][]) {
    if (signals[name].kind !== 'gauge' || reading.value === null) continue;
    const split = (reading.split ?? reading.detail?.byReason ?? reading.detail?.byClassification) as
      | Record<string, number>
      | undefined;
    emitGauge(name, reading.value, signals[name].breakdown ? split : undefined);
    emitted++;
  }
  await pruneEmptyHours();
  return { emitted };
};

export const handler = withObservability(run);
