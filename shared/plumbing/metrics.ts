import type { MetricUnit } from '@aws-lambda-powertools/metrics';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

import { type SignalName, type SignalSpec, signalNames, signals } from '#signals';
import { metrics, metricsBuffer } from './observability.ts';

/**
 * The one way a signal of the catalog (shared/signals.ts) becomes a CloudWatch metric: Powertools
 * Metrics, EMF, one document per emission (single metric), so its dimensions are exactly the
 * catalog's (`service` plus the breakdown stream when one is named). Nothing else emits metrics.
 */
const unitOf = (spec: SignalSpec) => spec.unit as Unit;

export const emit = (name: SignalName, value: number, breakdownValue?: string): void => {
  const spec: SignalSpec = signals[name];
  metrics.singleMetric().addMetric(name, unitOf(spec), value);
  if (spec.breakdown && breakdownValue !== undefined) {
    const split = metrics.singleMetric();
    split.addDimension(spec.breakdown, breakdownValue);
    split.addMetric(name, unitOf(spec), value);
  }
};

/** Many values of one signal (e.g. per-record lag of a batch) in one EMF document (≤ 100 values each). */
export const emitValues = (name: SignalName, values: number[]): void => {
  if (values.length === 0) return;
  const buffer = metricsBuffer();
  for (const value of values) buffer.addMetric(name, unitOf(signals[name]), value);
  buffer.publishStoredMetrics();
};

/** Many values of one breakdown stream of a signal (e.g. one view's lag) in one EMF document. */
export const emitValuesOf = (name: SignalName, breakdownValue: string, values: number[]): void => {
  const spec: SignalSpec = signals[name];
  if (values.length === 0 || !spec.breakdown) return;
  const buffer = metricsBuffer();
  buffer.addDimension(spec.breakdown, breakdownValue);
  for (const value of values) buffer.addMetric(name, unitOf(spec), value);
  buffer.publishStoredMetrics();
};

/** A gauge with its breakdown: the total stream and one stream per value (zeros included). */
export const emitGauge = (name: SignalName, total: number, byValue: Record<string, number> = {}): void => {
  const spec: SignalSpec = signals[name];
  metrics.singleMetric().addMetric(name, unitOf(spec), total);
  if (!spec.breakdown) return;
  for (const [value, count] of Object.entries(byValue)) {
    const split = metrics.singleMetric();
    split.addDimension(spec.breakdown, value);
    split.addMetric(name, unitOf(spec), count);
  }
};

const refusalMatches = (spec: SignalSpec, operation: string, code: string): boolean => {
  if (spec.producer.kind !== 'emitted' || !spec.producer.refusals) return false;
  const { codes, operations, exceptCodes } = spec.producer.refusals;
  return (
    (!codes || codes.includes(code)) &&
    (!operations || operations.includes(operation)) &&
    !exceptCodes?.includes(code)
  );
};

/** A command refused with a domain code: the catalog says which signals that is. */
export const emitRefusal = (operation: string, code: string): void => {
  for (const name of signalNames) {
    if (!refusalMatches(signals[name], operation, code)) continue;
    const breakdown = signals[name].breakdown;
    emit(name, 1, breakdown === 'operation' ? operation : breakdown === 'code' ? code : undefined);
  }
};

/** The same command sent again: replayed from the idempotency record or refused as in flight. */
export const emitDuplicateSubmit = (operation: string): void => emit('DuplicateSubmitAttempts', 1, operation);
