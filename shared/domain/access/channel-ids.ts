import type { Actor } from '#domain/actor';

/**
 * Ids a channel chooses (account ids, its own order references) name something of that channel
 * only: two channels may use the same id for different customers. The real id is the channel's id
 * and the channel's value; it is what internal roles see and name, and the partition key of every
 * index such an id selects, so a partner's query reads only its own channel's entries.
 */
const separator = ':';

export const channelRef = (channelId: string, value: string): string => `${channelId}${separator}${value}`;

/**
 * The real id a request names: a partner always names one of its own channel's; staff name the
 * real id, or a channel (`channelId`) and that channel's value.
 */
export const channelRefOf = (
  actor: Pick<Actor, 'role' | 'channelId'>,
  value: string,
  channelId?: string,
): string => {
  if (actor.role === 'partner') return channelRef(actor.channelId, value);
  return channelId === undefined ? value : channelRef(channelId, value);
};

/** What a caller sees of a channel's id: a partner its own value, staff the real id. */
export const channelIdAsSeenBy = (
  actor: Pick<Actor, 'role' | 'channelId'>,
  channelId: string,
  value: string,
): string => (actor.role === 'partner' ? value : channelRef(channelId, value));
