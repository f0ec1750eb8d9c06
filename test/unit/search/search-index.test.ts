import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceEvent } from '#domain/projections/source-event';
import { applyQuoteSearch, type QuoteSearchDoc } from '#domain/search/quote-search';
import { entriesOf, entryPartition, searchPlan } from '#domain/search/search-index';

const NOW = '2026-11-24T10:00:00.000Z';
const quoteEvent = (
  version: number,
  state: string,
  name = 'Acme Manufacturing',
  eventId = `e${version}`,
): SourceEvent => ({
  eventId,
  eventTime: `2026-11-24T09:0${version}:00.000Z`,
  eventType: version === 1 ? 'QuoteCreateEvent' : 'QuoteStateChangeEvent',
  domain: 'quote',
  correlationId: 'c',
  aggregateType: 'QUOTE',
  aggregateId: 'q-1',
  aggregateVersion: version,
  resource: {
    id: 'q-1',
    state,
    channelId: 'partner-a',
    accountId: 'acct-1',
    customer: { name, region: 'APAC' },
    products: [{ lineId: '1', offeringId: 'off-fiber-1g', productFamily: 'Connectivity' }],
    createdAt: '2026-11-24T09:01:00.000Z',
    validFor: { endDateTime: '2026-12-24T00:00:00.000Z' },
  },
});

const fold = (events: SourceEvent[]) =>
  events.reduce<QuoteSearchDoc | undefined>((doc, e) => applyQuoteSearch(doc, e, NOW), undefined);

describe('quote search document', () => {
  const events = [
    quoteEvent(1, 'inProgress'),
    quoteEvent(2, 'pending'),
    quoteEvent(3, 'approved'),
    quoteEvent(4, 'accepted'),
  ];

  it('is the same whatever the delivery order and duplication (latest version wins)', () => {
    const expected = fold(events);
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...events, ...events], { minLength: events.length * 2 }),
        (delivered) => {
          const doc = fold(delivered)!;
          expect({ ...doc, freshness: undefined }).toEqual({ ...expected, freshness: undefined });
          expect(doc.state).toBe('accepted');
        },
      ),
    );
  });

  it('indexes every searchable field under the internal and the owner channel scope', () => {
    const doc = fold(events)!;
    const pks = entriesOf('quote', doc).map((e) => e.pk);
    for (const scope of ['all', 'ch:partner-a']) {
      expect(pks).toContain(`IDX#quote#quoteNumber#${scope}#q-1`);
      expect(pks).toContain(`IDX#quote#customerName#${scope}#a`);
      expect(pks).toContain(`IDX#quote#offeringId#${scope}#off-fiber-1g`);
      expect(pks).toContain(`IDX#quote#region#${scope}#apac`);
      expect(pks).toContain(`IDX#quote#state#${scope}#accepted`);
    }
    expect(pks.some((pk) => pk.includes('partner-b'))).toBe(false);
  });

  it('reads the most selective criterion’s partition, in the caller’s scope, and checks the rest', () => {
    const doc = fold(events)!;
    const partner = searchPlan(
      'quote',
      { customerName: 'ACME man', state: 'accepted' },
      { kind: 'channel', channelId: 'partner-b' },
    )!;
    expect(partner.pk).toBe(
      entryPartition('quote', 'customerName', { kind: 'channel', channelId: 'partner-b' }, 'a'),
    );
    expect(partner.sort).toEqual({ op: 'begins_with', value: 'acme man' });
    expect(partner.matches(doc)).toBe(true);
    expect(
      searchPlan('quote', { customerName: 'acme', state: 'pending' }, { kind: 'all' })!.matches(doc),
    ).toBe(false);
    expect(searchPlan('quote', { quoteNumber: 'q-1', customerName: 'zeta' }, { kind: 'all' })!.field).toBe(
      'quoteNumber',
    );
    expect(searchPlan('quote', {}, { kind: 'all' })).toBeUndefined();
    expect(searchPlan('quote', { expiresBefore: '2026-12-01' }, { kind: 'all' })!.matches(doc)).toBe(false);
  });
});
