import type { Actor } from '#domain/actor';

/**
 * Who sees what belongs to a channel: staff see every channel, a partner only its own. What a
 * partner may not see is indistinguishable from what does not exist (404, left out of lists).
 */
export const canSee = (actor: Pick<Actor, 'role' | 'channelId'>, channelId: string | undefined): boolean =>
  actor.role !== 'partner' || channelId === actor.channelId;

/**
 * A seller limited to a region sees a quote of that region or of none; any other principal (and a
 * seller without a region) is not limited by region. Applied with `canSee` wherever a quote is
 * read, listed or changed: a quote of another region answers 404 like one of another channel.
 */
export const regionAllows = (actor: Pick<Actor, 'role' | 'region'>, region: string | undefined): boolean =>
  actor.role !== 'sales' || actor.region === undefined || region === undefined || region === actor.region;

export const canSeeQuote = (
  actor: Pick<Actor, 'role' | 'channelId' | 'region'>,
  quote: { channelId: string; customer?: { region?: string } },
): boolean => canSee(actor, quote.channelId) && regionAllows(actor, quote.customer?.region);

/** A seller limited to a region: the quote lists whose rows do not carry the region are not for them. */
export const isRegionScoped = (actor: Pick<Actor, 'role' | 'region'>): boolean =>
  actor.role === 'sales' && actor.region !== undefined;

/** The channel a request is confined to: a partner's own, whatever it asked; staff's choice. */
export const channelScope = (
  actor: Pick<Actor, 'role' | 'channelId'>,
  requested: string | undefined,
): string | undefined => (actor.role === 'partner' ? actor.channelId : requested);

/**
 * Who reads a resource: a partner reads the partner projection (partner fields only), staff read
 * everything. Staff notes, repair reasons, owner teams, next actions, correlation ids and
 * downstream names are internal.
 */
export type Audience = 'partner' | 'internal';
export const audienceOf = (actor: Pick<Actor, 'role'>): Audience =>
  actor.role === 'partner' ? 'partner' : 'internal';

/** What a person writes (a note, a cancellation reason) is visible as far as its writer reaches. */
export type Visibility = 'partner' | 'internal';
export const visibilityOfWriter = (actor: Pick<Actor, 'role'>): Visibility =>
  actor.role === 'partner' ? 'partner' : 'internal';

/** Written before visibility was recorded: internal, so nothing of staff reaches a partner. */
export const readableBy = (audience: Audience, visibility: Visibility | undefined): boolean =>
  audience === 'internal' || visibility === 'partner';
