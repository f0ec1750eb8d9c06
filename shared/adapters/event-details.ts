import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import type { EventDetailSource, OutboxItemKey } from '#ports/event-details';
import { envelopeAttributes, outboxEnvelope } from './outbox-item.ts';

/** The outbox items of the aggregates table: only their envelopes, read by key. */
export const outboxEventDetails: EventDetailSource = {
  envelopeAt: async (key: OutboxItemKey) => {
    const res = await documentClient().send(
      new GetCommand({
        TableName: env.table('aggregates'),
        Key: { pk: key.pk, sk: key.sk },
        ProjectionExpression: envelopeAttributes.join(', '),
      }),
    );
    return res.Item && outboxEnvelope<Record<string, unknown>>(res.Item);
  },
};

/** An event reference that does not name an outbox item: never followed. */
export class UnresolvableEventDetail extends Error {
  override readonly name = 'UnresolvableEventDetail';
}

type MaybeClaimCheck = {
  claimCheck?: unknown;
  eventId?: unknown;
  detailRef?: { table?: unknown; pk?: unknown; sk?: unknown };
};

/**
 * The whole event a bus consumer was sent: the detail itself, or, for a claim check
 * (shared/adapters/event-claim-check.ts), the envelope of the outbox item its `detailRef` names.
 * Every consumer calls this first, so its own code sees the same detail either way.
 */
export const resolveEventDetail = async <T>(
  detail: T,
  source: EventDetailSource = outboxEventDetails,
): Promise<T> => {
  const claim = detail as MaybeClaimCheck | undefined;
  if (!claim?.claimCheck) return detail;
  const ref = claim.detailRef;
  if (
    ref?.table !== 'aggregates' ||
    typeof ref.pk !== 'string' ||
    !ref.pk.startsWith('OUTBOX#') ||
    typeof ref.sk !== 'string'
  )
    throw new UnresolvableEventDetail('claim check without an outbox item reference');
  const envelope = await source.envelopeAt({ pk: ref.pk, sk: ref.sk });
  // Outbox items live a week (TTL), far longer than asynchronous retries (6 hours): a missing one
  // is an error for the function's on-failure destination, not an event to act on half-known.
  if (!envelope || envelope.eventId !== claim.eventId)
    throw new UnresolvableEventDetail(`outbox item ${ref.pk} ${ref.sk} does not hold event ${claim.eventId}`);
  return envelope as T;
};
