import { type Visibility, visibilityOfWriter } from '#domain/access/visibility';
import type { CommandContext } from '#domain/actor';

/** TMF RelatedParty as a channel sent it. */
export type PartyRef = { id: string; href?: string; name?: string; role?: string; '@referredType'?: string };

/**
 * TMF Note: append-only, author and date are the caller and the request time; `visibility` follows
 * the writer (absent on notes written before it was kept).
 */
export type Note = { id: string; text: string; author: string; date: string; visibility?: Visibility };

export const appendNotes = (
  existing: readonly Note[] | undefined,
  added: readonly { id?: string | undefined; text: string }[],
  ctx: CommandContext,
): Note[] => [
  ...(existing ?? []),
  ...added.map((n, i) => ({
    id: n.id ?? String((existing?.length ?? 0) + i + 1),
    text: n.text,
    author: ctx.actor.principalId,
    date: ctx.now,
    visibility: visibilityOfWriter(ctx.actor),
  })),
];
