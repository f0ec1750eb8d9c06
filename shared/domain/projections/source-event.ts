import { type DomainEvent, isEventType } from '#domain/events';
import { canonicalHash } from '#domain/quote/canonical-hash';

/**
 * What a projection consumes: the outbox envelope (same shape as the aggregate store's
 * `EventEnvelope`, declared here so the domain does not depend on an adapter).
 */
export type SourceEvent = {
  eventId: string;
  eventTime: string;
  eventType: string;
  domain: string;
  correlationId: string;
  aggregateType: string;
  aggregateId: string;
  aggregateVersion: number;
  resource: Record<string, unknown>;
};

/** An outbox event read back, typed by its name: narrow it with `event.eventType === ...`. */
export type TypedSourceEvent = Omit<SourceEvent, 'eventType' | 'domain' | 'resource'> & DomainEvent;

/**
 * The domain's own builders wrote every outbox event, so its name says its payload; an event of
 * a name the domain does not know (retired, or not ours) is passed over.
 */
export const typedEvent = (event: SourceEvent): TypedSourceEvent | undefined =>
  isEventType(event.eventType) ? (event as TypedSourceEvent) : undefined;

/** Contract: every row carries it. `sourceEventTime` is extra, for lag explanations. */
export type Freshness = {
  sourceVersion: number;
  sourceEventId: string;
  sourceEventTime: string;
  projectedAt: string;
  lagMs: number;
};

/**
 * A total order over events of one aggregate: aggregate version first, then a per-projection
 * rank for events of the same version, then the event id. Sub-entities of a row remember the
 * cursor of the event they were last taken from and only move forward: that makes every
 * reducer commutative (any delivery order, any duplication gives the same row).
 */
export const cursorOf = (event: SourceEvent, rank = 0): string =>
  `${String(event.aggregateVersion).padStart(10, '0')}#${rank}#${event.eventId}`;

export const isAfter = (cursor: string, than: string | undefined): boolean =>
  than === undefined || cursor > than;

export const freshnessAfter = (
  current: Freshness | undefined,
  event: SourceEvent,
  now: string,
): Freshness => {
  if (
    current &&
    (event.aggregateVersion < current.sourceVersion ||
      (event.aggregateVersion === current.sourceVersion && event.eventId <= current.sourceEventId))
  ) {
    return current;
  }
  return {
    sourceVersion: event.aggregateVersion,
    sourceEventId: event.eventId,
    sourceEventTime: event.eventTime,
    projectedAt: now,
    lagMs: Math.max(0, Date.parse(now) - Date.parse(event.eventTime)),
  };
};

/** The fresher of two freshness stamps: the later source version, then event id (as `freshnessAfter`). */
export const laterFreshness = (a: Freshness, b: Freshness | undefined): Freshness =>
  b &&
  (b.sourceVersion > a.sourceVersion ||
    (b.sourceVersion === a.sourceVersion && b.sourceEventId > a.sourceEventId))
    ? b
    : a;

/** Processed-event keys, kept sorted so the row does not depend on delivery order. */
export const withApplied = (applied: readonly string[], eventId: string): string[] =>
  [...applied, eventId].sort();

/** The content of a row for checksums: everything but when and how late it was projected. */
export const contentChecksum = (row: object): string => {
  const { freshness, ...rest } = row as { freshness?: Freshness } & Record<string, unknown>;
  const stable = freshness
    ? {
        sourceVersion: freshness.sourceVersion,
        sourceEventId: freshness.sourceEventId,
        sourceEventTime: freshness.sourceEventTime,
      }
    : undefined;
  return canonicalHash({ ...rest, freshness: stable });
};
