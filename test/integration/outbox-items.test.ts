import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { outboxEventDetails } from '#adapters/event-details';
import { outboxEnvelope } from '#adapters/outbox-item';
import { loadSourceEvents } from '#adapters/projection-replay';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { outboxItems, saveVersion } from './stream-support.ts';

const created = { eventType: 'QuoteCreateEvent', domain: 'quote' };

describe('outbox items against DynamoDB Local', () => {
  it('are written packed; replay and claim checks read them and those written plain before alike', async () => {
    const id = `q-${randomUUID()}`;
    await saveVersion('QUOTE', id, 0, { id, state: 'inProgress' }, [
      { ...created, resource: { id, state: 'inProgress' } },
    ]);
    const [packed] = await outboxItems('QUOTE', id);
    expect(packed?.envelope).toBeUndefined();
    expect(packed?.packedEnvelope).toBeInstanceOf(Uint8Array);

    // An event of version 2 as the store wrote it before packing: the envelope as a map.
    const plain = {
      ...outboxEnvelope(packed!)!,
      eventId: randomUUID(),
      eventType: 'QuoteStateChangeEvent',
      aggregateVersion: 2,
      resource: { id, state: 'approved' },
    };
    const { packedEnvelope: _, ...keys } = packed!;
    await documentClient().send(
      new PutCommand({
        TableName: env.table('aggregates'),
        Item: { ...keys, sk: '0000000002#0000000000', envelope: plain },
      }),
    );

    const replayed = await loadSourceEvents({ aggregateType: 'QUOTE', aggregateId: id });
    expect(replayed.map((e) => [e.aggregateVersion, e.resource])).toEqual([
      [1, { id, state: 'inProgress' }],
      [2, { id, state: 'approved' }],
    ]);
    const pk = packed!.pk as string;
    expect(await outboxEventDetails.envelopeAt({ pk, sk: packed!.sk as string })).toEqual(
      outboxEnvelope(packed!),
    );
    expect(await outboxEventDetails.envelopeAt({ pk, sk: '0000000002#0000000000' })).toEqual(plain);
  });
});
