import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#domain/actor';
import { cursorLifetimeMs, isSortKey, listCursor, openCursor, sealCursor } from '#plumbing/http/cursor';
import { HttpError } from '#plumbing/http/http-error';
import { resourceEnv } from '#topology';

const partnerA: Actor = { principalId: 'u-a', role: 'partner', channelId: 'partner-a' };
const partnerB: Actor = { principalId: 'u-b', role: 'partner', channelId: 'partner-b' };
const scope = { principal: partnerA, route: 'order-list', query: { state: 'completed', limit: '2' } };
const now = Date.parse('2026-12-01T00:00:00Z');

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof HttpError ? { status: e.status, code: e.code } : { thrown: String(e) };
  }
  return undefined;
};

describe('list cursors', () => {
  beforeAll(() => {
    process.env[resourceEnv.cursorKey] = 'unit-test-cursor-key-0123456789abcdef';
  });

  it('round-trip the position for the same caller channel, route and query, whatever the limit', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (position) => {
        const cursor = sealCursor(position, scope, now);
        expect(openCursor(cursor, { ...scope, query: { ...scope.query, limit: '50' } }, now)).toBe(position);
      }),
      { seed: 21, numRuns: 50 },
    );
  });

  it('reveal nothing of the position they carry', () => {
    const position = '2026-11-30T10:00:00.000Z#ord-secret-1';
    const cursor = sealCursor(position, scope, now);
    const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
    expect(decoded).not.toContain('2026');
    expect(decoded).not.toContain('ord-secret');
  });

  it('are refused with 400 CURSOR_INVALID when tampered with, forged, or used by another channel, route or query', () => {
    const cursor = sealCursor('2026-11-30#o-1', scope, now);
    const flipped = Buffer.from(cursor, 'base64url');
    flipped[flipped.length - 1] = (flipped.at(-1) ?? 0) ^ 1;
    const invalid = { status: 400, code: 'CURSOR_INVALID' };
    expect(refusal(() => openCursor(flipped.toString('base64url'), scope, now))).toEqual(invalid);
    expect(refusal(() => openCursor(Buffer.from('{"a":"x"}').toString('base64url'), scope, now))).toEqual(
      invalid,
    );
    expect(refusal(() => openCursor(cursor, { ...scope, principal: partnerB }, now))).toEqual(invalid);
    expect(refusal(() => openCursor(cursor, { ...scope, route: 'order-cancel-list' }, now))).toEqual(invalid);
    expect(refusal(() => openCursor(cursor, { ...scope, query: { state: 'failed' } }, now))).toEqual(invalid);
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (forged) => {
        expect(refusal(() => openCursor(forged, scope, now))).toEqual(invalid);
      }),
      { seed: 21, numRuns: 200 },
    );
  });

  it('expire: an old cursor is 400 CURSOR_EXPIRED', () => {
    const cursor = sealCursor('2026-11-30#o-1', scope, now);
    expect(openCursor(cursor, scope, now + cursorLifetimeMs - 1)).toBe('2026-11-30#o-1');
    expect(refusal(() => openCursor(cursor, scope, now + cursorLifetimeMs))).toEqual({
      status: 400,
      code: 'CURSOR_EXPIRED',
    });
  });

  it('a position of another shape than the list expects is refused', () => {
    const cursor = sealCursor({ pk: 'x', sk: 'y' }, scope);
    expect(refusal(() => listCursor({ ...scope, query: { ...scope.query, cursor } }, isSortKey))).toEqual({
      status: 400,
      code: 'CURSOR_INVALID',
    });
  });
});
