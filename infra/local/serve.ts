import { randomUUID } from 'node:crypto';
import { handleAwsCall } from './aws-endpoint.ts';
import { sampleAwsMetrics } from './aws-metrics.ts';
import type { LocalComponents } from './components.ts';
import type { LocalServers } from './http-servers.ts';
import { localError, routeLocally } from './local-router.ts';
import { localRoutes } from './local-routes.ts';
import { localStackName } from './template-policies.ts';

/** What serving started and stopping must end. */
export type Serving = { resumedExecutions: number; awsMetrics: NodeJS.Timeout };

/**
 * Attaches the routes to both ports and starts everything that runs on its own: restored
 * executions, stream pollers, queues, the scheduler and the metric sampling. The internal port
 * opens first (restored executions call its emulations), the public port last.
 */
export const serveLocalStack = async (c: LocalComponents, servers: LocalServers): Promise<Serving> => {
  const credentialPath = new URL(c.internalUrl).pathname;
  servers.internal.open(async (withCredential, res) => {
    // Like an AWS endpoint without a valid signature: nothing but the stack's own callers gets in.
    if (withCredential.path !== credentialPath && !withCredential.path.startsWith(`${credentialPath}/`))
      return localError(403, 'FORBIDDEN', 'The internal port needs the local stack credential', randomUUID());
    const request = { ...withCredential, path: withCredential.path.slice(credentialPath.length) || '/' };
    const target = request.headers['x-amz-target'];
    if (target) return handleAwsCall(target, request.body, c.bus, c.sfn, c.runtime.faults);
    return (
      (await routeLocally(localRoutes, 'internal', request, c, res)) ??
      localError(
        404,
        'NOT_FOUND',
        `No route for ${request.path}`,
        request.headers['x-correlation-id'] ?? randomUUID(),
      )
    );
  });
  const restored = await c.sfn.restore();
  for (const p of c.pollers) p.start();
  for (const q of Object.values(c.queues)) q.start();
  c.scheduler.start();
  // CloudWatch evaluates the alarms and publishes each one entering ALARM to the alarm topic.
  c.metrics.onAlarm = (alarm) => c.iam.authorizeAlarmNotification(`${localStackName}-${alarm}`);
  const awsMetrics = setInterval(() => {
    sampleAwsMetrics(c.metrics, c.asyncInvoker, c.pollers);
    c.metrics.snapshot();
  }, 5_000);
  awsMetrics.unref();
  servers.public.open(
    async (request, res) =>
      (await routeLocally(localRoutes, 'public', request, c, res)) ?? c.gateway.handle(request),
  );
  return { resumedExecutions: restored.resumed, awsMetrics };
};
