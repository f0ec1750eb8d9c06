import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Actor } from '#domain/actor';
import { resourceEnv } from '#topology';
import { HttpError } from './http-error.ts';

/**
 * Continuation cursors of every list, view and search: AES-256-GCM over the position (so sort
 * keys, times and ids stay hidden) with the caller's channel, the route and the query as
 * additional authenticated data (so a cursor works only for the list that issued it), and an
 * expiry inside the sealed payload. Anything else a client sends as `cursor` is a 400.
 */
export const cursorLifetimeMs = 60 * 60 * 1000;

/** Query parameters that may change between pages without changing the list. */
const unbound = new Set(['cursor', 'limit']);

export type CursorScope = { principal: Actor; route: string; query: Record<string, string | undefined> };

const keyOf = (): Buffer => {
  const secret = process.env[resourceEnv.cursorKey];
  if (!secret || secret.length < 32)
    throw new Error(`${resourceEnv.cursorKey} must hold at least 32 characters`);
  return createHash('sha256').update(`cursor-v1\u0000${secret}`).digest();
};

const boundTo = ({ principal, route, query }: CursorScope): Buffer => {
  const bound = Object.entries(query)
    .filter(([k, v]) => !unbound.has(k) && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify([principal.channelId, route, bound]));
};

const refused = (code: 'CURSOR_INVALID' | 'CURSOR_EXPIRED', message: string) =>
  new HttpError(400, code, message, {
    fields: [{ field: 'cursor', message: 'use the cursor of the previous page of the same list' }],
  });

/** The cursor of the next page, positioned after `position`. */
export const sealCursor = (position: unknown, scope: CursorScope, now = Date.now()): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(), iv);
  cipher.setAAD(boundTo(scope));
  const sealed = Buffer.concat([
    cipher.update(JSON.stringify({ p: position, e: now + cursorLifetimeMs })),
    cipher.final(),
  ]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
};

/** The position a cursor carries, if this list issued it and it has not expired; else 400. */
export const openCursor = (cursor: string, scope: CursorScope, now = Date.now()): unknown => {
  const raw = /^[A-Za-z0-9_-]{40,2048}$/.test(cursor) ? Buffer.from(cursor, 'base64url') : undefined;
  let payload: { p?: unknown; e?: unknown } | undefined;
  if (raw && raw.length > 28) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', keyOf(), raw.subarray(0, 12));
      decipher.setAAD(boundTo(scope));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      payload = JSON.parse(text) as typeof payload;
    } catch {
      payload = undefined;
    }
  }
  if (!payload || payload.p === undefined || typeof payload.e !== 'number')
    throw refused('CURSOR_INVALID', 'cursor was not issued for this list, caller and query');
  if (payload.e <= now) throw refused('CURSOR_EXPIRED', 'cursor has expired; start the list again');
  return payload.p;
};

/** A list request's paging: where the page starts (if a cursor was sent) and how to seal the next. */
export const listCursor = <P>(
  scope: CursorScope,
  isPosition: (p: unknown) => p is P,
): { after?: P; next: (position: P | undefined) => string | undefined } => {
  const cursor = scope.query.cursor;
  const next = (position: P | undefined) =>
    position === undefined ? undefined : sealCursor(position, scope);
  if (cursor === undefined) return { next };
  const position = openCursor(cursor, scope);
  if (!isPosition(position)) throw refused('CURSOR_INVALID', 'cursor is not one of this list');
  return { after: position, next };
};

/** Most lists continue after a sort key. */
export const isSortKey = (p: unknown): p is string =>
  typeof p === 'string' && p.length > 0 && p.length <= 512;
