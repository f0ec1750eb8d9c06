import type { EventBridgeEvent } from 'aws-lambda';
import { loadAggregate } from '#adapters/aggregate-store';
import { postCallback } from '#adapters/callback-client';
import { loadCurrentCatalog } from '#adapters/catalog-store';
import { resolveEventDetail } from '#adapters/event-details';
import {
  type DeliveryRecord,
  listSubscriptions,
  loadHealth,
  recordDelivery,
  saveHealth,
} from '#adapters/hub-store';
import { loadOrder } from '#adapters/order-repository';
import { loadQuote } from '#adapters/quote-loader';
import type { InstalledProduct } from '#domain/inventory/product';
import { toProductResource } from '#domain/inventory/product-resource';
import { afterEvent, gateOf, healthy, type SubscriptionHealth } from '#domain/notification/delivery-budget';
import {
  deliveryPolicy,
  type HubSubscription,
  retryDelayMs,
  subscriptionMatches,
  type TmfNotification,
} from '#domain/notification/hub';
import { hubApiOf, type SourceEvent, toTmfNotification } from '#domain/notification/tmf-notification';
import type { CancelProductOrder } from '#domain/order/product-order';
import { toCancelProductOrderResource, toProductOrderResource } from '#domain/order/product-order-resource';
import { toTmf648Quote } from '#domain/quote/tmf648-quote';
import { env } from '#plumbing/env';
import { emit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';

/**
 * The TMF resource the notification carries, as a partner reads it (it leaves the system for a
 * channel's endpoint); `undefined` when the source is gone.
 */
const resourceFor = async (
  event: SourceEvent,
  base: string,
): Promise<Record<string, unknown> | undefined> => {
  if (event.eventType.startsWith('CancelProductOrder')) {
    return toCancelProductOrderResource(event.resource as unknown as CancelProductOrder, base, 'partner');
  }
  if (event.domain === 'productInventory') {
    const stored = await loadAggregate<InstalledProduct>('PRODUCT', String(event.resource.id));
    return stored && toProductResource({ ...stored.aggregate, version: stored.version }, base);
  }
  if (event.domain === 'productOrder') {
    const stored = await loadOrder(event.aggregateId);
    return (
      stored && toProductOrderResource({ ...stored.aggregate, version: stored.version }, base, 'partner')
    );
  }
  const [stored, { release }] = await Promise.all([loadQuote(event.aggregateId), loadCurrentCatalog()]);
  // Channels hear the partner view: never margin or approval comments.
  const view = { role: 'partner' as const, catalog: release, now: new Date().toISOString() };
  return stored && toTmf648Quote({ ...stored.aggregate, version: stored.version }, view, base);
};

const post = (sub: HubSubscription, notification: TmfNotification): Promise<number> =>
  postCallback(sub.callback, JSON.stringify(notification), {
    'Content-Type': 'application/json',
    'X-Correlation-Id': notification.correlationId ?? '',
  });

/**
 * Within the subscription's budget: tried and retried a bounded number of times (what still fails
 * is dead-lettered in the delivery log), or skipped while it backs off or is suspended. Answers
 * whether the event was delivered; undefined when it was not tried.
 */
const deliverWithinBudget = async (
  sub: HubSubscription,
  notification: TmfNotification,
  health: SubscriptionHealth,
): Promise<void> => {
  const now = new Date().toISOString();
  const gate = gateOf(health, now);
  if (gate !== 'deliver') {
    await recordDelivery({
      subscriptionId: sub.id,
      channelId: sub.channelId,
      eventId: notification.eventId,
      eventType: notification.eventType,
      attempt: 0,
      outcome: 'SKIPPED',
      error: gate,
      at: now,
    });
    return;
  }
  const delivered = await deliver(sub, notification);
  const next = afterEvent(health, delivered, new Date().toISOString());
  if (next.consecutiveFailures === 0 && health.consecutiveFailures === 0) return;
  await saveHealth(sub.id, next);
  if (next.suspendedAt) {
    logger.warn('hub subscription suspended', { subscriptionId: sub.id, reason: next.suspendedReason });
  }
};

/** At least once: retried with backoff; what still fails is dead-lettered in the delivery log. */
const deliver = async (sub: HubSubscription, notification: TmfNotification): Promise<boolean> => {
  const base = {
    subscriptionId: sub.id,
    channelId: sub.channelId,
    eventId: notification.eventId,
    eventType: notification.eventType,
  };
  for (let attempt = 1; attempt <= deliveryPolicy.attempts; attempt++) {
    let record: DeliveryRecord;
    try {
      const status = await post(sub, notification);
      const ok = status >= 200 && status < 300;
      record = {
        ...base,
        attempt,
        outcome: ok ? 'DELIVERED' : 'FAILED_ATTEMPT',
        status,
        at: new Date().toISOString(),
      };
    } catch (error) {
      record = {
        ...base,
        attempt,
        outcome: 'FAILED_ATTEMPT',
        error: (error as Error).name,
        at: new Date().toISOString(),
      };
    }
    // A callback the rules refuse is never connected to, so retrying cannot help.
    const last = attempt === deliveryPolicy.attempts || record.error === 'CallbackRefused';
    if (record.outcome === 'FAILED_ATTEMPT' && last) record = { ...record, outcome: 'DEAD_LETTER' };
    await recordDelivery(record);
    if (record.outcome === 'DELIVERED') {
      emit('HubNotificationDelivered', 1);
      return true;
    }
    if (record.outcome === 'DEAD_LETTER') {
      emit('HubNotificationDeadLettered', 1);
      logger.warn('notification dead-lettered', { subscriptionId: sub.id, eventId: notification.eventId });
      return false;
    }
    await new Promise((r) => setTimeout(r, retryDelayMs(attempt, Math.random())));
  }
  return false;
};

const dispatch = async (
  event: EventBridgeEvent<string, Partial<SourceEvent>>,
): Promise<{ delivered: number }> => {
  const detail = (await resolveEventDetail(event.detail)) as SourceEvent;
  const api = detail?.resource ? hubApiOf(detail) : undefined;
  const channelId = detail?.resource?.channelId;
  if (!api || typeof channelId !== 'string') return { delivered: 0 };
  const probe = toTmfNotification(detail, { id: detail.aggregateId });
  const subscribers = (await listSubscriptions(api, channelId)).filter((s) => subscriptionMatches(s, probe));
  if (subscribers.length === 0) return { delivered: 0 };
  const resource = await resourceFor(detail, env.publicBaseUrl());
  if (!resource) return { delivered: 0 };
  const notification = toTmfNotification(detail, resource);
  logger.appendKeys({ eventId: detail.eventId, correlationId: detail.correlationId });
  const health = await loadHealth(subscribers.map((s) => s.id));
  await Promise.all(
    subscribers.map((s) => deliverWithinBudget(s, notification, health.get(s.id) ?? healthy)),
  );
  return { delivered: subscribers.length };
};

export const handler = withObservability(dispatch);
