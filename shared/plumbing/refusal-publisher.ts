import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  commandRefusalSource,
  commandRefusedEventType,
  isReportedRefusal,
  refusalEvent,
} from '#domain/reporting/refusal-facts';
import { env } from '#plumbing/env';
import { logger } from '#plumbing/observability';
import { sdkRequestHandler } from '#plumbing/sdk-timeouts';

type Sdk = typeof import('@aws-sdk/client-eventbridge');
let bus: { sdk: Sdk; client: InstanceType<Sdk['EventBridgeClient']> } | undefined;
/**
 * Loaded on the first refusal, not at init: every API handler has this path, few ever take it,
 * and an ES import of the (CommonJS) client would be parsed at each cold start.
 */
const eventBridge = () => {
  if (!bus) {
    const sdk = createRequire(import.meta.url)('@aws-sdk/client-eventbridge') as Sdk;
    bus = { sdk, client: new sdk.EventBridgeClient({ maxAttempts: 1, requestHandler: sdkRequestHandler() }) };
  }
  return bus;
};

/**
 * Puts a refused command on the bus for the reporting facts (the KPIs of attempts). Best effort:
 * the refusal is the client's answer whatever happens here, so a failed put is logged, not thrown.
 */
export const publishRefusal = async (refusal: {
  operation: string;
  code: string;
  aggregateId: string | null;
  channelId: string;
  correlationId: string;
  at: string;
}): Promise<void> => {
  if (!isReportedRefusal(refusal.operation, refusal.code)) return;
  const detail = refusalEvent({ ...refusal, eventId: randomUUID() });
  try {
    const { sdk, client } = eventBridge();
    const res = await client.send(
      new sdk.PutEventsCommand({
        Entries: [
          {
            EventBusName: env.eventBusName(),
            Source: commandRefusalSource,
            DetailType: commandRefusedEventType,
            Detail: JSON.stringify(detail),
            Time: new Date(refusal.at),
          },
        ],
      }),
    );
    if (res.FailedEntryCount) logger.warn('refusal fact not published', { code: refusal.code });
  } catch (error) {
    logger.warn('refusal fact not published', { code: refusal.code, error: (error as Error).name });
  }
};
