import type { LocalComponents } from './components.ts';
import { closeLocalServers, type LocalServers } from './http-servers.ts';
import type { Serving } from './serve.ts';

/**
 * Stops in dependency order: nothing new starts (schedules, pollers, queues, ports), then what
 * is in flight drains (bus deliveries, executions suspended for the next start, the lake), and
 * DynamoDB Local goes last.
 */
export const stopLocalStack = async (c: LocalComponents, servers: LocalServers, serving: Serving) => {
  c.scheduler.stop();
  for (const sim of Object.values(c.simulators)) sim.stopWork();
  clearInterval(serving.awsMetrics);
  await Promise.all(c.pollers.map((p) => p.stop()));
  await Promise.all(Object.values(c.queues).map((q) => q.stop()));
  await closeLocalServers(servers);
  await Promise.race([c.bus.drain(), new Promise((r) => setTimeout(r, 2000))]);
  await c.sfn.suspend();
  await Promise.all(c.lake.map((s) => s.drain()));
  c.dynamoClient.destroy();
  await c.dynamo.stop();
  c.metrics.release();
};
