import { eventResourceName, type HubApi, notifies, type TmfNotification } from '#domain/notification/hub';

/** What the dispatcher reads from an outbox envelope (the EventBridge detail). */
export type SourceEvent = {
  eventId: string;
  eventTime: string;
  eventType: string;
  domain: string;
  correlationId?: string;
  aggregateId: string;
  resource: Record<string, unknown>;
};

/** The API a channel subscribes to for this event, or none when the event never leaves. */
export const hubApiOf = (event: SourceEvent): HubApi | undefined => {
  const apis: Record<string, HubApi> = {
    quote: 'quote',
    productOrder: 'productOrder',
    productInventory: 'product',
  };
  const api = Object.hasOwn(apis, event.domain) ? apis[event.domain] : undefined;
  return api && notifies(api, event.eventType) ? api : undefined;
};

/**
 * The TMF envelope around a resource. The resource's state is the one the event recorded, even
 * when the aggregate has moved on since: a notification tells what happened, in order.
 */
export const toTmfNotification = (
  event: SourceEvent,
  resource: Record<string, unknown>,
): TmfNotification => ({
  eventId: event.eventId,
  eventTime: event.eventTime,
  eventType: event.eventType,
  ...(event.correlationId ? { correlationId: event.correlationId } : {}),
  domain: event.domain,
  event: {
    [eventResourceName(event.eventType)]: {
      ...resource,
      ...(event.resource.state === undefined ? {} : { state: event.resource.state }),
      ...(event.resource.status === undefined ? {} : { status: event.resource.status }),
    },
  },
});
