import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { EventEnvelope } from '#adapters/aggregate-store';
import { env } from '#plumbing/env';
import { eventBridgeClient } from '#plumbing/event-bridge-client';
import { eventSources } from '#topology';
import { type ClaimCheckDetail, claimCheckedEntry } from './event-claim-check.ts';
import { putEventsBatches } from './put-events-limits.ts';
import type { OutboxEvent } from './stream-records.ts';

export const toEntry = (envelope: EventEnvelope | ClaimCheckDetail): PutEventsRequestEntry => ({
  EventBusName: env.eventBusName(),
  Source: eventSources[envelope.domain as keyof typeof eventSources] ?? `cpq-oms.${envelope.domain}`,
  DetailType: envelope.eventType,
  Detail: JSON.stringify(envelope),
  Time: new Date(envelope.eventTime),
});

const entryOf = (event: OutboxEvent): PutEventsRequestEntry =>
  claimCheckedEntry(event.envelope, event.key, toEntry);

/**
 * Puts the outbox events on the bus in requests within PutEvents' limits (10 entries, 256 KB: one
 * request over either is refused whole), re-sending only the entries that failed, up to
 * `attempts` rounds. An event too large for an entry goes as a claim check (event-claim-check.ts).
 * Returns the event ids that still could not be delivered.
 */
export const publishEnvelopes = async (
  events: OutboxEvent[],
  attempts = 3,
  pauseMs = (attempt: number) => 50 * 2 ** attempt,
): Promise<{ failed: Set<string>; retried: number }> => {
  let pending = events;
  let retried = 0;
  for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt++) {
    const stillFailing: OutboxEvent[] = [];
    const entries = new Map(pending.map((e) => [e, entryOf(e)]));
    const { batches, oversized } = putEventsBatches(pending, (e) => entries.get(e)!);
    // Even its claim check over 256 KB (routing fields are bounded, so not expected): it stays
    // failed, parked and visible to ops.
    stillFailing.push(...oversized);
    for (const chunk of batches) {
      try {
        const res = await eventBridgeClient().send(
          new PutEventsCommand({ Entries: chunk.map((e) => entries.get(e)!) }),
        );
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
  return { failed: new Set(pending.map((e) => e.envelope.eventId)), retried };
};
