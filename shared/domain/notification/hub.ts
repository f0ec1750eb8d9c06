import { DomainError } from '#domain/errors';
import type { EventType } from '#domain/events';
import {
  type CallbackPolicy,
  CallbackRefused,
  type CallbackTarget,
  callbackTarget,
} from '#domain/notification/callback-address';
import { deliveryBudget } from '#domain/notification/delivery-budget';

/** The TMF APIs that offer `/hub`: each subscription listens to one of them. */
export type HubApi = 'productOrder' | 'quote' | 'product';

/** A channel's subscriptions per API are bounded (the delivery budget), so one event costs bounded work. */
export const maxSubscriptionsPerChannel = deliveryBudget.subscriptionsPerChannel;

/** Refuses a subscription beyond the bound with 422 SUBSCRIPTION_LIMIT. */
export const assertSubscriptionRoom = (existing: number): void => {
  if (existing < maxSubscriptionsPerChannel) return;
  throw new DomainError(
    'SUBSCRIPTION_LIMIT',
    `A channel may hold at most ${maxSubscriptionsPerChannel} subscriptions on this API`,
    { limit: maxSubscriptionsPerChannel },
  );
};

/** TMF EventSubscription as the service keeps it: scoped to the channel that registered it. */
export type HubSubscription = {
  id: string;
  api: HubApi;
  channelId: string;
  callback: string;
  /** The TMF `query` as the client sent it (e.g. `eventType=ProductOrderStateChangeEvent`). */
  query?: string;
  createdAt: string;
  createdBy: string;
};

/** Parsed `query`: every key must match one of its comma-separated values. */
export type HubFilter = { eventType?: string[]; state?: string[] };

/** Event types a channel may hear about, per API; internal events (tasks, plans) never leave. */
export const notifiedEventTypes: Record<HubApi, readonly EventType[]> = {
  productOrder: [
    'ProductOrderCreateEvent',
    'ProductOrderStateChangeEvent',
    'ProductOrderAttributeValueChangeEvent',
    'ProductOrderJeopardyEvent',
    'CancelProductOrderCreateEvent',
    'CancelProductOrderStateChangeEvent',
  ],
  quote: ['QuoteCreateEvent', 'QuoteStateChangeEvent', 'QuoteAttributeValueChangeEvent'],
  product: ['ProductCreateEvent', 'ProductStateChangeEvent', 'ProductAttributeValueChangeEvent'],
};

/** Whether a channel subscribed to `api` hears events of this name. */
export const notifies = (api: HubApi, eventType: string): boolean =>
  (notifiedEventTypes[api] as readonly string[]).includes(eventType);

const filterKeys: Record<string, keyof HubFilter> = {
  eventType: 'eventType',
  'event.productOrder.state': 'state',
  'event.quote.state': 'state',
  'event.product.status': 'state',
  state: 'state',
};

const invalid = (message: string) =>
  new DomainError('INVALID_SUBSCRIPTION', message, { fields: [{ field: 'query', message }] });

/**
 * TMF hub query: `key=value[,value]` joined by `&`. Unknown keys and event types the API never
 * sends are refused, so a subscription never silently listens to nothing.
 */
export const parseHubQuery = (api: HubApi, query: string | undefined): HubFilter => {
  const filter: HubFilter = {};
  if (!query) return filter;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const values = (eq < 0 ? '' : part.slice(eq + 1)).split(',').filter((v) => v !== '');
    const target = Object.hasOwn(filterKeys, key) ? filterKeys[key] : undefined;
    if (!target) throw invalid(`Unsupported query key "${key}"; use eventType or event.${api}.state`);
    if (values.length === 0) throw invalid(`Query key "${key}" needs at least one value`);
    if (target === 'eventType') {
      const unknown = values.filter((v) => !notifies(api, v));
      if (unknown.length > 0) throw invalid(`Event types not published by this API: ${unknown.join(', ')}`);
    }
    filter[target] = [...(filter[target] ?? []), ...values];
  }
  return filter;
};

/**
 * Callbacks are HTTPS on port 443 to a public host (`callbackTarget`); plain HTTP and other
 * ports only for the literal hosts the deployment allows (the local stack's test listeners).
 */
export const validateCallback = (callback: string, policy: CallbackPolicy): CallbackTarget => {
  try {
    return callbackTarget(callback, policy);
  } catch (error) {
    if (error instanceof CallbackRefused) throw invalidCallback(error.message);
    throw error;
  }
};

export const invalidCallback = (message: string) =>
  new DomainError('INVALID_SUBSCRIPTION', message, { fields: [{ field: 'callback', message }] });

/** The TMF notification body a subscriber receives. */
export type TmfNotification = {
  eventId: string;
  eventTime: string;
  eventType: string;
  correlationId?: string;
  domain: string;
  event: Record<string, Record<string, unknown>>;
};

export const eventResourceName = (eventType: string): string =>
  eventType.startsWith('CancelProductOrder')
    ? 'cancelProductOrder'
    : eventType.startsWith('ProductOrder')
      ? 'productOrder'
      : eventType.startsWith('Product')
        ? 'product'
        : 'quote';

export const subscriptionMatches = (sub: HubSubscription, notification: TmfNotification): boolean => {
  if (!notifies(sub.api, notification.eventType)) return false;
  const filter = parseHubQuery(sub.api, sub.query);
  if (filter.eventType && !filter.eventType.includes(notification.eventType)) return false;
  if (filter.state) {
    const resource = notification.event[eventResourceName(notification.eventType)];
    // A TMF637 product has a `status` where orders and quotes have a `state`.
    if (!filter.state.includes(String(resource?.state ?? resource?.status ?? ''))) return false;
  }
  return true;
};

/** Delivery attempts and the pause before each retry (ms): EventBridge-like exponential backoff. */
export const deliveryPolicy = {
  attempts: deliveryBudget.attemptsPerEvent,
  baseDelayMs: 200,
  maxDelayMs: 1_000,
  timeoutMs: deliveryBudget.timeoutMs,
} as const;

export const retryDelayMs = (attempt: number, random: number): number =>
  Math.round(
    Math.min(deliveryPolicy.maxDelayMs, deliveryPolicy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + random / 2),
  );
