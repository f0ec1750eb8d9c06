import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deliveryPolicy,
  type HubSubscription,
  notifiedEventTypes,
  parseHubQuery,
  retryDelayMs,
  subscriptionMatches,
  validateCallback,
} from '#domain/notification/hub';
import { hubApiOf, type SourceEvent, toTmfNotification } from '#domain/notification/tmf-notification';
import { errorCode as code } from '#test/domain-error';
import { eventRules } from '#topology';

const sub = (query?: string, api: HubSubscription['api'] = 'productOrder'): HubSubscription => ({
  id: 'hub-1',
  api,
  channelId: 'partner-a',
  callback: 'https://listener.example.com/x',
  ...(query ? { query } : {}),
  createdAt: '2026-11-24T00:00:00.000Z',
  createdBy: 'p',
});

const source = (eventType: string, state = 'inProgress', domain = 'productOrder'): SourceEvent => ({
  eventId: 'e-1',
  eventTime: '2026-11-24T00:00:00.000Z',
  eventType,
  domain,
  correlationId: 'c-1',
  aggregateId: 'po-1',
  resource: { id: 'po-1', state, channelId: 'partner-a' },
});

describe('hub query', () => {
  it('parses event types and states, alternatives separated by commas', () => {
    expect(
      parseHubQuery(
        'productOrder',
        'eventType=ProductOrderStateChangeEvent&event.productOrder.state=completed,held',
      ),
    ).toEqual({ eventType: ['ProductOrderStateChangeEvent'], state: ['completed', 'held'] });
    expect(parseHubQuery('quote', undefined)).toEqual({});
  });

  it('refuses unknown keys, empty values and event types the API never publishes', () => {
    expect(code(() => parseHubQuery('productOrder', 'colour=red'))).toBe('INVALID_SUBSCRIPTION');
    expect(code(() => parseHubQuery('productOrder', 'eventType='))).toBe('INVALID_SUBSCRIPTION');
    expect(code(() => parseHubQuery('productOrder', 'eventType=QuoteCreateEvent'))).toBe(
      'INVALID_SUBSCRIPTION',
    );
    expect(code(() => parseHubQuery('quote', '__proto__=x'))).toBe('INVALID_SUBSCRIPTION');
  });

  it('matches by event type and state; internal events never match', () => {
    const completed = toTmfNotification(source('ProductOrderStateChangeEvent', 'completed'), {});
    expect(subscriptionMatches(sub(), completed)).toBe(true);
    expect(subscriptionMatches(sub('event.productOrder.state=held'), completed)).toBe(false);
    expect(subscriptionMatches(sub('eventType=ProductOrderCreateEvent'), completed)).toBe(false);
    const task = toTmfNotification(source('FulfillmentTaskStateChangeEvent'), {});
    expect(subscriptionMatches(sub(), task)).toBe(false);
    expect(hubApiOf(source('FulfillmentTaskStateChangeEvent'))).toBeUndefined();
    expect(subscriptionMatches(sub(undefined, 'quote'), completed)).toBe(false);
  });

  it('the notification keeps the state the event recorded, not the current one', () => {
    const n = toTmfNotification(source('ProductOrderStateChangeEvent', 'inProgress'), {
      id: 'po-1',
      state: 'completed',
    });
    expect(n.event.productOrder?.state).toBe('inProgress');
    const cancel = toTmfNotification(source('CancelProductOrderCreateEvent', 'acknowledged'), {
      id: 'cpo-1',
    });
    expect(Object.keys(cancel.event)).toEqual(['cancelProductOrder']);
  });

  it('the topology rule routes exactly the event types a channel may hear about', () => {
    const rule = eventRules.find((r) => r.name === 'hub-notifications');
    expect([...(rule?.pattern['detail-type'] ?? [])].sort()).toEqual(
      Object.values(notifiedEventTypes).flat().sort(),
    );
  });
});

describe('hub callback', () => {
  it('in AWS only public HTTPS without credentials', () => {
    expect(validateCallback('https://listener.example.com/tmf', false)).toBe(
      'https://listener.example.com/tmf',
    );
    for (const bad of [
      'http://listener.example.com/',
      'https://127.0.0.1/',
      'https://10.1.2.3/',
      'https://169.254.169.254/latest',
      'https://localhost/',
      'https://user:pw@listener.example.com/',
      'ftp://x/',
      'not a url',
    ]) {
      expect(
        code(() => validateCallback(bad, false)),
        bad,
      ).toBe('INVALID_SUBSCRIPTION');
    }
  });

  it('locally plain HTTP to 127.0.0.1 is allowed, other schemes are not', () => {
    expect(validateCallback('http://127.0.0.1:4000/l', true)).toBe('http://127.0.0.1:4000/l');
    expect(code(() => validateCallback('file:///etc/passwd', true))).toBe('INVALID_SUBSCRIPTION');
  });
});

describe('delivery retry policy', () => {
  it('waits between half and all of a capped exponential delay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, r) => {
          const full = Math.min(deliveryPolicy.maxDelayMs, deliveryPolicy.baseDelayMs * 2 ** (attempt - 1));
          const delay = retryDelayMs(attempt, r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(full / 2));
          expect(delay).toBeLessThanOrEqual(full);
        },
      ),
    );
  });
});
