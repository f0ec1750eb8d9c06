import type { Actor } from '#domain/actor';

/**
 * Who sees what belongs to a channel: staff see every channel, a partner only its own. What a
 * partner may not see is indistinguishable from what does not exist (404, left out of lists).
 */
export const canSee = (actor: Pick<Actor, 'role' | 'channelId'>, channelId: string | undefined): boolean =>
  actor.role !== 'partner' || channelId === actor.channelId;

/** The channel a request is confined to: a partner's own, whatever it asked; staff's choice. */
export const channelScope = (
  actor: Pick<Actor, 'role' | 'channelId'>,
  requested: string | undefined,
): string | undefined => (actor.role === 'partner' ? actor.channelId : requested);
