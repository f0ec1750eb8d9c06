import { redriveParkedBatches } from '#adapters/parked-batch';
import { projectEvents } from '#adapters/read-model-projector';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * One batch the projector parked after its retries: its outbox records are read again from the
 * stream and projected again. The reducers skip applied events and never move a row back, so
 * what was projected before the batch was parked changes nothing. A batch that still fails
 * stays on the queue and comes back after the visibility timeout.
 */
export const handler = withObservability(
  redriveParkedBatches(async (events) => {
    const { failed } = await projectEvents(
      events.map((e) => e.envelope),
      new Date().toISOString(),
    );
    if (failed.size > 0)
      throw new Error(`${failed.size} of ${events.length} parked events still not projected`);
  }),
);
