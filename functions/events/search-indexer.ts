import type { Context, EventBridgeEvent } from 'aws-lambda';
import { indexEvent } from '#adapters/search-store';
import type { SourceEvent } from '#domain/projections/source-event';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * Domain events (EventBridge rule `search-index`) → search documents and their index entries.
 * A rule rather than a third reader of the aggregates stream: DynamoDB Streams serve at most
 * two concurrent readers per shard. Reducers are idempotent and order-free, so EventBridge's
 * at-least-once, unordered delivery changes nothing; a failure is retried, then dead-lettered.
 */
const index = async (
  event: EventBridgeEvent<string, SourceEvent>,
  _context: Context,
): Promise<{ written: boolean }> => ({
  written: await indexEvent(event.detail, new Date().toISOString()),
});

export const handler = withObservability(index);
