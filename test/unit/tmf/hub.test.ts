import { describe, expect, it } from 'vitest';
import {
  type HubSubscription,
  notifiedEventTypes,
  parseHubQuery,
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

const aws = { localHosts: [] };
const local = { localHosts: ['127.0.0.1'] };

describe('hub callback', () => {
  it('in AWS only public HTTPS on 443 without credentials', () => {
    expect(validateCallback('https://listener.example.com/tmf', aws).url).toBe(
      'https://listener.example.com/tmf',
    );
    expect(validateCallback('https://listener.example.com:443/tmf', aws).url).toBe(
      'https://listener.example.com/tmf',
    );
    for (const bad of [
      'http://listener.example.com/',
      'https://listener.example.com:8443/',
      'https://127.0.0.1/',
      'https://10.1.2.3/',
      'https://169.254.169.254/latest',
      'https://localhost/',
      'https://foo.localhost/',
      'https://metadata.google.internal/',
      'https://intranet/',
      'https://user:pw@listener.example.com/',
      'ftp://x/',
      'not a url',
    ]) {
      expect(
        code(() => validateCallback(bad, aws)),
        bad,
      ).toBe('INVALID_SUBSCRIPTION');
    }
  });

  it('locally plain HTTP on any port to the configured literal host only, other schemes are not', () => {
    expect(validateCallback('http://127.0.0.1:4000/l', local)).toMatchObject({
      url: 'http://127.0.0.1:4000/l',
      local: true,
    });
    for (const bad of ['file:///etc/passwd', 'http://[::ffff:127.0.0.1]:4000/', 'http://localhost:4000/'])
      expect(
        code(() => validateCallback(bad, local)),
        bad,
      ).toBe('INVALID_SUBSCRIPTION');
  });
});
