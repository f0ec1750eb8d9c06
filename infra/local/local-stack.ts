import { randomBytes } from 'node:crypto';
import { composeLocalStack } from './compose.ts';
import { listenLocalServers } from './http-servers.ts';
import { serveLocalStack } from './serve.ts';
import type { LocalStackOptions } from './stack-options.ts';
import { stopLocalStack } from './stop.ts';

export { defaultInFlightWindowMs, type LocalStackOptions, physicalTableNames } from './stack-options.ts';

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;

/** The local stack: listen (requests are held), compose the parts, serve; `stop` undoes it once. */
export const startLocalStack = async (options: LocalStackOptions) => {
  const startedAt = Date.now();
  const servers = await listenLocalServers(options.port);
  // The internal port answers only under this path, which the stack's own components are given.
  const internalCredential = randomBytes(24).toString('base64url');
  const components = await composeLocalStack(options, {
    url: servers.public.url,
    internalUrl: `${servers.internal.url}/${internalCredential}`,
    startedAt,
  });
  const serving = await serveLocalStack(components, servers);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopLocalStack(components, servers, serving);
    return stopping;
  };
  return {
    url: servers.public.url,
    port: Number(new URL(servers.public.url).port),
    startupMs: Date.now() - startedAt,
    resumedExecutions: serving.resumedExecutions,
    stop,
    components,
  };
};
