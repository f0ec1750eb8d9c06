import { publishEnvelopes } from '#adapters/event-publisher';
import { redriveParkedBatches } from '#adapters/parked-batch';
import { emit } from '#plumbing/metrics';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * One parked batch: its outbox records are read again from the stream and published again.
 * Events that went out before the batch was parked go out twice; every consumer deduplicates
 * by eventId (the fulfillment starter by execution name), so nothing is applied twice. A batch
 * that still cannot be delivered stays on the queue and comes back after the visibility timeout.
 */
export const handler = withObservability(
  redriveParkedBatches(async (events) => {
    const { failed } = await publishEnvelopes(events);
    if (failed.size > 0) {
      emit('EventsPublishFailed', failed.size);
      throw new Error(`${failed.size} of ${events.length} parked events still not delivered`);
    }
  }),
);
