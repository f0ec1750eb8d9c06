import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { sdkRequestHandler } from '#plumbing/sdk-timeouts';
import type { FunctionName } from '#topology';
import { invocationScope } from './invocation-scope.ts';

/** Handlers already routing by function (a second local stack in one process reuses them). */
const routed = new WeakSet<object>();

/** The SDK's own default for a client's connection pool. */
const socketsPerPool = 50;

/**
 * In AWS every function instance has its own SDK client and its own connections. Locally all
 * handlers share one module instance of the client, so one connection pool would make every
 * function queue behind the busiest one (an order-creation flood delaying a cancellation's reads
 * by seconds while DynamoDB itself answers in milliseconds). Each function gets its own pool, as
 * in the cloud; calls outside any function (the local stack's own) keep the client's pool.
 */
export const connectionsPerFunction = (client: { config: object }): void => {
  const config = client.config as { requestHandler: NodeHttpHandler };
  if (routed.has(config.requestHandler)) return;
  const own = config.requestHandler;
  const pools = new Map<FunctionName, NodeHttpHandler>();
  const poolOf = (fn: FunctionName | undefined): NodeHttpHandler => {
    if (!fn) return own;
    let pool = pools.get(fn);
    if (!pool) {
      // With the handlers' own timeouts: a hung table fails the call as it does in AWS.
      pool = new NodeHttpHandler({
        ...sdkRequestHandler(),
        httpAgent: new Agent({ keepAlive: true, maxSockets: socketsPerPool }),
      });
      pools.set(fn, pool);
    }
    return pool;
  };
  const router = Object.assign(Object.create(own) as NodeHttpHandler, {
    handle: (...args: Parameters<NodeHttpHandler['handle']>) =>
      poolOf(invocationScope.getStore()).handle(...args),
    destroy: () => {
      for (const pool of pools.values()) pool.destroy();
      own.destroy();
    },
  });
  routed.add(router);
  config.requestHandler = router;
};
