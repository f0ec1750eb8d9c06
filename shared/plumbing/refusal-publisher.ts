import { randomUUID } from 'node:crypto';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  commandRefusalSource,
  commandRefusedEventType,
  isReportedRefusal,
  refusalEvent,
} from '#domain/reporting/refusal-facts';
import { env } from '#plumbing/env';
import { eventBridgeClient } from '#plumbing/event-bridge-client';
import { logger } from '#plumbing/observability';

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
    const res = await eventBridgeClient().send(
      new PutEventsCommand({
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
