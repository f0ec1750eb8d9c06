import { parseArgs } from 'node:util';
import { devTokens } from './dev-tokens.ts';
import { defaultInFlightWindowMs, startLocalStack } from './local-stack.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    'data-dir': { type: 'string' },
    'time-scale': { type: 'string', default: process.env.LOCAL_TIME_SCALE ?? '0.1' },
    'downstream-time-scale': { type: 'string' },
    'downstream-timeout-ms': { type: 'string', default: process.env.DOWNSTREAM_TIMEOUT_MS ?? '1000' },
    'downstream-in-flight-window-ms': { type: 'string', default: String(defaultInFlightWindowMs) },
    'schedule-interval-ms': { type: 'string' },
    'log-level': { type: 'string', default: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' },
    'throttle-scale': { type: 'string', default: process.env.LOCAL_THROTTLE_SCALE ?? '1' },
  },
});

const stack = await startLocalStack({
  port: Number(values.port),
  dataDir: values['data-dir'],
  timeScale: Number(values['time-scale']),
  downstreamTimeoutMs: Number(values['downstream-timeout-ms']),
  ...(values['downstream-time-scale']
    ? { downstreamTimeScale: Number(values['downstream-time-scale']) }
    : {}),
  downstreamInFlightWindowMs: Number(values['downstream-in-flight-window-ms']),
  scheduleIntervalMs: values['schedule-interval-ms'] ? Number(values['schedule-interval-ms']) : undefined,
  logLevel: values['log-level'],
  throttleScale: Number(values['throttle-scale']),
});

const tokens = Object.entries(devTokens)
  .map(([token, p]) => `  ${token.padEnd(18)} role=${p.role.padEnd(8)} channel=${p.channelId}`)
  .join('\n');
process.stdout.write(
  `CPQ/OMS local stack ready in ${stack.startupMs} ms\n` +
    `URL ${stack.url}\n` +
    `Ops console ${stack.url}/ops/console (token local-ops)\n` +
    `DynamoDB Local ${stack.components.dynamo.endpoint} (${values['data-dir'] ? `data in ${values['data-dir']}` : 'in memory'})\n` +
    (stack.resumedExecutions > 0 ? `Resumed ${stack.resumedExecutions} running executions\n` : '') +
    `Development tokens (Authorization: Bearer <token>):\n${tokens}\n`,
);

let exiting = false;
const shutdown = async (signal: string) => {
  if (exiting) return;
  exiting = true;
  process.stdout.write(`${signal}: stopping\n`);
  await stack.stop();
  process.stdout.write('stopped\n');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
