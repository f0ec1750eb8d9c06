import type { Actor } from '#domain/actor';

/**
 * Accounts a partner names belong to its channel: the first partner channel to quote for an
 * account id claims it, and another partner channel cannot attach quotes to it. Internal roles
 * work across channels and claim nothing.
 */
export type AccountClaim = { accountId: string; channelId: string };

export const accountClaimOf = (actor: Actor, accountId: string): AccountClaim | undefined =>
  actor.role === 'partner' ? { accountId, channelId: actor.channelId } : undefined;
