import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { indexEvents, searchPage } from '#adapters/search-store';
import type { SourceEvent } from '#domain/projections/source-event';
import { type Scope, searchPlan } from '#domain/search/search-index';

/**
 * Partners read their channel's entries from the `entriesByChannel` GSI (index schema 2): an entry
 * is written once, and its channel partition is an attribute, not part of its key.
 */
const quoteEvent = (quoteId: string, version: number, channelId: string): SourceEvent => ({
  eventId: randomUUID(),
  eventTime: `2026-11-24T09:0${version}:00.000Z`,
  eventType: version === 1 ? 'QuoteCreateEvent' : 'QuoteStateChangeEvent',
  domain: 'quote',
  correlationId: 'c',
  aggregateType: 'QUOTE',
  aggregateId: quoteId,
  aggregateVersion: version,
  resource: {
    id: quoteId,
    state: 'inProgress',
    channelId,
    accountId: 'acct-1',
    customer: { name: 'Channel Move Ltd', region: 'EMEA' },
    products: [],
    createdAt: '2026-11-24T09:01:00.000Z',
  },
});

const finds = async (quoteId: string, scope: Scope) => {
  const page = await searchPage('quote', searchPlan('quote', { quoteNumber: quoteId }, scope)!, 10);
  return page.docs.some((d) => d.documentType === 'quote' && d.quoteId === quoteId);
};

describe('search entries of a channel (GSI)', () => {
  it('moves every entry to the new channel’s partition when a document changes channel', async () => {
    const quoteId = `q-${randomUUID()}`;
    const [a, b] = [`ch-a-${randomUUID()}`, `ch-b-${randomUUID()}`];
    const now = new Date().toISOString();
    const noRow = async () => undefined;
    expect((await indexEvents([quoteEvent(quoteId, 1, a)], now, noRow)).failed.size).toBe(0);
    expect(await finds(quoteId, { kind: 'channel', channelId: a })).toBe(true);
    expect(await finds(quoteId, { kind: 'channel', channelId: b })).toBe(false);

    expect((await indexEvents([quoteEvent(quoteId, 2, b)], now, noRow)).failed.size).toBe(0);
    expect(await finds(quoteId, { kind: 'channel', channelId: b })).toBe(true);
    expect(await finds(quoteId, { kind: 'channel', channelId: a })).toBe(false);
    expect(await finds(quoteId, { kind: 'all' })).toBe(true);
  });
});
