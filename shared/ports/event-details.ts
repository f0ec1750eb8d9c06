/**
 * Where an event sent as a claim check (a slim detail with `detailRef`) keeps its whole envelope:
 * the outbox item that produced it. Returns undefined when no such item exists.
 */
export type OutboxItemKey = { pk: string; sk: string };
export type EventDetailSource = {
  envelopeAt: (key: OutboxItemKey) => Promise<Record<string, unknown> | undefined>;
};
