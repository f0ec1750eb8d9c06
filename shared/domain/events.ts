/**
 * A domain event as the domain core emits it. The repository stamps aggregate version,
 * event id, time and correlation id when it writes the event to the outbox in the same
 * transaction as the aggregate.
 */
export type DomainEvent = {
  /** TMF event name where TMF has one, e.g. `QuoteStateChangeEvent`, `ProductOrderCreateEvent`. */
  eventType: string;
  /** `quote` | `productOrder` | `catalog` | ... */
  domain: string;
  /** Event body: the resource (or the part of it that changed). No secrets. */
  resource: Record<string, unknown>;
};
