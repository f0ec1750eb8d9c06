import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { EventEnvelope } from '#adapters/aggregate-store';
import { env } from '#plumbing/env';
import { eventBridgeClient } from '#plumbing/event-bridge-client';
import { eventSources } from '#topology';
import { putEventsBatches } from './put-events-limits.ts';

export const toEntry = (envelope: EventEnvelope): PutEventsRequestEntry => ({
  EventBusName: env.eventBusName(),
  Source: eventSources[envelope.domain as keyof typeof eventSources] ?? `cpq-oms.${envelope.domain}`,
  DetailType: envelope.eventType,
  Detail: JSON.stringify(envelope),
  Time: new Date(envelope.eventTime),
});

/**
 * Puts the envelopes on the bus in requests within PutEvents' limits (10 entries, 256 KB: one
 * request over either is refused whole), re-sending only the entries that failed, up to
 * `attempts` rounds. Returns the event ids that still could not be delivered.
 */
export const publishEnvelopes = async (
  envelopes: EventEnvelope[],
  attempts = 3,
  pauseMs = (attempt: number) => 50 * 2 ** attempt,
): Promise<{ failed: Set<string>; retried: number }> => {
  let pending = envelopes;
  let retried = 0;
  for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt++) {
    const stillFailing: EventEnvelope[] = [];
    const { batches, oversized } = putEventsBatches(pending, toEntry);
    // No request can hold an entry over 256 KB: it stays failed (parked, visible to ops). The input
    // limits (200 lines, bounded strings) keep every event far below (a 200-line quote's ≈ 55 KB).
    stillFailing.push(...oversized);
    for (const chunk of batches) {
      try {
        const res = await eventBridgeClient().send(new PutEventsCommand({ Entries: chunk.map(toEntry) }));
        (res.Entries ?? []).forEach((entry, index) => {
          if (entry.ErrorCode || !entry.EventId) stillFailing.push(chunk[index]!);
        });
      } catch {
        stillFailing.push(...chunk);
      }
    }
    if (stillFailing.length > 0 && attempt < attempts) {
      retried += stillFailing.length;
      await new Promise((r) => setTimeout(r, pauseMs(attempt)));
    }
    pending = stillFailing;
  }
  return { failed: new Set(pending.map((e) => e.eventId)), retried };
};
