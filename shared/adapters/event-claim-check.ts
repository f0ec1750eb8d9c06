import type { EventEnvelope } from '#adapters/aggregate-store';
import { putEventsEntrySize, putEventsMaxBytes, type SizedEntry } from './put-events-limits.ts';
import type { OutboxKey } from './stream-records.ts';

/** Where a slim event's whole envelope is: its outbox item, kept for the outbox retention (TTL). */
export type DetailRef = { table: 'aggregates' } & OutboxKey;

/** The detail of an event sent without its resource: consumers read the whole envelope by `detailRef`. */
export type ClaimCheckDetail = Omit<EventEnvelope, 'resource'> & {
  resource: Record<string, unknown>;
  claimCheck: true;
  detailRef: DetailRef;
};

/**
 * Resource fields that rules, hub filters and routing read from an event (channel, state, ids):
 * the slim event keeps them. Longer values are no routing field and would defeat the slimming.
 */
const routingFields = ['id', 'state', 'previousState', 'channelId', 'accountId', 'quoteId', 'orderId'];
const maxRoutingValueBytes = 1024;

const routingResource = (resource: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    routingFields
      .map((field) => [field, resource[field]] as const)
      .filter(
        ([, value]) =>
          typeof value === 'number' ||
          typeof value === 'boolean' ||
          (typeof value === 'string' && Buffer.byteLength(value, 'utf8') <= maxRoutingValueBytes),
      ),
  );

export const slimEnvelope = (envelope: EventEnvelope, key: OutboxKey): ClaimCheckDetail => ({
  ...envelope,
  resource: routingResource(envelope.resource ?? {}),
  claimCheck: true,
  detailRef: { table: 'aggregates', pk: key.pk, sk: key.sk },
});

/**
 * The claim check: an event whose entry PutEvents would refuse (256 KB, as AWS sizes it) is sent
 * with the envelope fields consumers route on and a reference to the outbox item holding it whole.
 */
export const claimCheckedEntry = <E extends SizedEntry>(
  envelope: EventEnvelope,
  key: OutboxKey,
  entryOf: (detail: EventEnvelope | ClaimCheckDetail) => E,
): E => {
  const full = entryOf(envelope);
  return putEventsEntrySize(full) < putEventsMaxBytes ? full : entryOf(slimEnvelope(envelope, key));
};
