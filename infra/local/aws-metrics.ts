import type { AsyncInvoker } from './async-invoker.ts';
import type { MetricsSink } from './metrics-sink.ts';
import type { StreamPoller } from './stream-poller.ts';

/**
 * The metrics AWS publishes itself (SQS queue depth, Lambda IteratorAge), sampled locally from
 * the on-failure destinations of asynchronous invocations and the stream pollers into the sink under the catalog's names: per queue/consumer
 * and the maximum over them (what the CloudWatch alarm's MAX expression computes).
 */
export const sampleAwsMetrics = (sink: MetricsSink, lambda: AsyncInvoker, pollers: StreamPoller[]): void => {
  const queues: Record<string, number> = {
    ...lambda.depths(),
    ...Object.fromEntries(pollers.map((p) => [`${p.name}-on-failure`, p.failed.length])),
  };
  for (const [queue, depth] of Object.entries(queues)) sink.record('DeadLetterDepth', depth, queue);
  sink.record('DeadLetterDepth', Math.max(...Object.values(queues)));
  for (const p of pollers) sink.record('StreamIteratorAge', p.iteratorAgeMs, p.name);
  sink.record('StreamIteratorAge', Math.max(0, ...pollers.map((p) => p.iteratorAgeMs)));
};
