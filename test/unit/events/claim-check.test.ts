import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '#adapters/aggregate-store';
import { claimCheckedEntry } from '#adapters/event-claim-check';
import { resolveEventDetail } from '#adapters/event-details';
import { toEntry } from '#adapters/event-publisher';
import { putEventsEntrySize, putEventsMaxBytes } from '#adapters/put-events-limits';
import { matchesPattern } from '#local/event-pattern';
import type { EventDetailSource } from '#ports/event-details';
import { deliveryStreams, eventRules, resourceEnv } from '#topology';

const key = { pk: 'OUTBOX#QUOTE#q-1', sk: '0000000003#0000000001' };

/** A quote or order event whose resource carries `pad` (the lines, items and prices of a large one). */
const envelope = (
  pad: string,
  eventType = 'QuoteAttributeValueChangeEvent',
  domain = 'quote',
): EventEnvelope => ({
  eventId: 'e-1',
  eventTime: '2026-12-06T10:00:00.000Z',
  eventType,
  domain,
  correlationId: 'c-1',
  aggregateType: domain === 'quote' ? 'QUOTE' : 'ORDER',
  aggregateId: 'q-1',
  aggregateVersion: 3,
  resource: { id: 'q-1', state: 'approved', channelId: 'sales-portal', accountId: 'acct-1', pad },
});

const sizeOf = (e: EventEnvelope) => putEventsEntrySize(toEntry(e));
/** The envelope whose full entry is exactly `bytes` (ASCII padding adds one byte a character). */
const envelopeOfSize = (bytes: number) => envelope('x'.repeat(bytes - sizeOf(envelope(''))));
const sent = (e: EventEnvelope) => claimCheckedEntry(e, key, toEntry);
const busEvent = (entry: ReturnType<typeof toEntry>) => ({
  source: entry.Source,
  'detail-type': entry.DetailType,
  detail: JSON.parse(entry.Detail ?? '{}'),
});
const patterns = [
  ...eventRules.map((r) => r.pattern),
  ...Object.values(deliveryStreams).map((s) => s.pattern),
];
const routedEventTypes = [...new Set(patterns.flatMap((p) => p['detail-type'] ?? []))].map(
  (type) => [type, type.startsWith('Quote') ? 'quote' : 'productOrder'] as const,
);

beforeAll(() => {
  process.env[resourceEnv.eventBus] = 'domain-bus';
});

describe('claim check of events PutEvents cannot hold', () => {
  it('sends an event whole below 256 KB and as a claim check from 256 KB on', () => {
    const below = envelopeOfSize(putEventsMaxBytes - 1);
    expect(sizeOf(below)).toBe(putEventsMaxBytes - 1);
    expect(sent(below)).toEqual(toEntry(below));

    const at = envelopeOfSize(putEventsMaxBytes);
    expect(sizeOf(at)).toBe(putEventsMaxBytes);
    const slim = JSON.parse(sent(at).Detail ?? '{}');
    expect(slim.claimCheck).toBe(true);
    expect(slim.detailRef).toEqual({ table: 'aggregates', ...key });
    expect(slim.resource.pad).toBeUndefined();
  });

  it('keeps every field rules and consumers route on, and stays under the limit, whatever the size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * 1024 }),
        fc.constantFrom('x', 'é', '€', '𝄞'),
        fc.constantFrom(...routedEventTypes),
        (length, char, [eventType, domain]) => {
          const whole = envelope(char.repeat(Math.ceil(length / Buffer.byteLength(char))), eventType, domain);
          const full = toEntry(whole);
          const entry = sent(whole);
          expect(putEventsEntrySize(entry)).toBeLessThan(putEventsMaxBytes);
          if (putEventsEntrySize(full) < putEventsMaxBytes) {
            expect(entry).toEqual(full);
            return;
          }
          const detail = JSON.parse(entry.Detail ?? '{}');
          expect(entry.Source).toBe(full.Source);
          expect(entry.DetailType).toBe(full.DetailType);
          expect(entry.Time).toEqual(full.Time);
          const { resource, ...fields } = whole;
          expect(detail).toMatchObject(fields);
          expect(detail.resource).toEqual({
            id: 'q-1',
            state: 'approved',
            channelId: 'sales-portal',
            accountId: 'acct-1',
          });
          for (const pattern of patterns)
            expect(matchesPattern(busEvent(entry), pattern)).toBe(matchesPattern(busEvent(full), pattern));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('a consumer resolving an event it was sent', () => {
  const whole = envelope('x'.repeat(300 * 1024));
  const stored = new Map([[`${key.pk}|${key.sk}`, whole as unknown as Record<string, unknown>]]);
  const outbox: EventDetailSource = { envelopeAt: async (k) => stored.get(`${k.pk}|${k.sk}`) };
  const claimCheck = () => JSON.parse(sent(whole).Detail ?? '{}');

  it('gets the whole envelope of a claim check from the outbox item it names', async () => {
    expect(await resolveEventDetail(claimCheck(), outbox)).toEqual(whole);
  });

  it('gets a whole event as it was sent, without reading anything', async () => {
    const small = envelope('x');
    const none: EventDetailSource = { envelopeAt: () => Promise.reject(new Error('read')) };
    expect(await resolveEventDetail(small, none)).toBe(small);
  });

  it('refuses a reference to anything but the outbox item of that event', async () => {
    const elsewhere = { ...claimCheck(), detailRef: { table: 'aggregates', pk: 'QUOTE#q-1', sk: 'A' } };
    await expect(resolveEventDetail(elsewhere, outbox)).rejects.toThrow(/outbox item reference/);
    const otherEvent = { ...claimCheck(), eventId: 'e-2' };
    await expect(resolveEventDetail(otherEvent, outbox)).rejects.toThrow(/does not hold event e-2/);
    const gone = { ...claimCheck(), detailRef: { ...claimCheck().detailRef, sk: 'expired' } };
    await expect(resolveEventDetail(gone, outbox)).rejects.toThrow(/does not hold/);
  });
});
