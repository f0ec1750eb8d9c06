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

  const searchable = (scope: string) => [
    `IDX#quote#quoteNumber#${scope}#q-1`,
    `IDX#quote#customerName#${scope}#a`,
    `IDX#quote#offeringId#${scope}#off-fiber-1g`,
    `IDX#quote#region#${scope}#apac`,
    `IDX#quote#state#${scope}#accepted`,
  ];

  it('schema 1: indexes every searchable field twice, under the internal and the owner channel scope', () => {
    const pks = entriesOf('quote', fold(events)!, 1).map((e) => e.pk);
    for (const scope of ['all', 'ch:partner-a'])
      expect(pks).toEqual(expect.arrayContaining(searchable(scope)));
    expect(pks.some((pk) => pk.includes('partner-b'))).toBe(false);
  });

  it('schema 2: indexes each value once, under the internal scope, naming its owner channel scope’s partition', () => {
    const entries = entriesOf('quote', fold(events)!, 2);
    expect(entries.map((e) => e.pk)).toEqual(expect.arrayContaining(searchable('all')));
    expect(entries.map((e) => e.channelPk)).toEqual(expect.arrayContaining(searchable('ch:partner-a')));
    expect(entries).toHaveLength(entriesOf('quote', fold(events)!, 1).length / 2);
    for (const e of entries) expect(e.channelPk).toBe(e.pk.replace('#all#', '#ch:partner-a#'));
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
    expect(partner).toMatchObject({
      allPk: entryPartition('quote', 'customerName', { kind: 'all' }, 'a'),
      byChannel: true,
      sort: { op: 'begins_with', value: 'acme man' },
    });
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
