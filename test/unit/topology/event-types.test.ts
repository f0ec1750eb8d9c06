import { describe, expect, it } from 'vitest';
import { eventTypes, isEventType } from '#domain/events';
import { notifiedEventTypes } from '#domain/notification/hub';
import { commandRefusedEventType } from '#domain/reporting/refusal-facts';
import { deliveryStreams, eventRules } from '#topology';

const patterns = [
  ...eventRules.map((rule) => ({ name: `rule ${rule.name}`, pattern: rule.pattern })),
  ...Object.entries(deliveryStreams).map(([name, stream]) => ({
    name: `stream ${name}`,
    pattern: stream.pattern,
  })),
];

describe('the event types the wiring routes on', () => {
  it.each(patterns)('$name names only event types the domain writes', ({ pattern }) => {
    const named = pattern['detail-type'] ?? [];
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !isEventType(name) && name !== commandRefusedEventType)).toEqual([]);
  });

  it('one list, without repeats, that holds a misspelt or retired name out', () => {
    expect(new Set(eventTypes).size).toBe(eventTypes.length);
    expect(isEventType('QuoteAcceptedEvent')).toBe(true);
    expect(isEventType('QuoteAcceptEvent')).toBe(false);
    expect(isEventType('toString')).toBe(false);
  });

  it('the hub rule routes exactly the events a channel can subscribe to', () => {
    const rule = eventRules.find((r) => r.name === 'hub-notifications')!;
    const subscribable = [
      ...notifiedEventTypes.productOrder,
      ...notifiedEventTypes.quote,
      ...notifiedEventTypes.product,
    ];
    expect([...(rule.pattern['detail-type'] ?? [])].sort()).toEqual(subscribable.sort());
  });
});
