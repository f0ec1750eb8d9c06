import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DownstreamNotice } from '#domain/order/downstream-notice';
import {
  isNoticeRefusal,
  noticeIdOf,
  refusalDay,
  refusedNotice,
  refusedNoticeRetentionDays,
} from '#domain/order/refused-notice';

const notice = fc.record(
  {
    correlationId: fc.string({ minLength: 1, maxLength: 40 }),
    status: fc.constantFrom('PROGRESS', 'COMPLETED', 'FAILED') as fc.Arbitrary<DownstreamNotice['status']>,
    reference: fc.string({ minLength: 1, maxLength: 40 }),
    sequence: fc.integer({ min: 1, max: 1_000 }),
    message: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: ['correlationId', 'status', 'reference'] },
);

describe('a refused downstream notice', () => {
  it('has one id whatever its message, evidence or delivery time: a redelivery is the same notice', () => {
    fc.assert(
      fc.property(notice, fc.string({ maxLength: 20 }), (n, otherMessage) => {
        const again = { ...n, message: otherMessage, evidence: { seenAt: 'later' } };
        expect(noticeIdOf('o-1', 't-1', again)).toBe(noticeIdOf('o-1', 't-1', n));
      }),
    );
  });

  it('differs in id when the order, the task or anything the downstream asserts differs', () => {
    fc.assert(
      fc.property(notice, notice, (a, b) => {
        const same =
          a.correlationId === b.correlationId &&
          a.status === b.status &&
          a.reference === b.reference &&
          (a.sequence ?? null) === (b.sequence ?? null);
        expect(noticeIdOf('o-1', 't-1', a) === noticeIdOf('o-1', 't-1', b)).toBe(same);
        expect(noticeIdOf('o-1', 't-1', a)).not.toBe(noticeIdOf('o-2', 't-1', a));
        expect(noticeIdOf('o-1', 't-1', a)).not.toBe(noticeIdOf('o-1', 't-2', a));
      }),
    );
  });

  it('is kept for the retention period from when it was refused, and counted under its UTC day', () => {
    const r = refusedNotice({
      downstream: 'provisioning',
      orderId: 'o-1',
      taskId: 't-1',
      notice: { correlationId: 'c', status: 'COMPLETED', reference: 'ref-1' },
      code: 'TASK_FINISHED',
      message: 'Task t-1 is already DONE (ref-0)',
      at: '2026-12-07T23:59:59.000Z',
    });
    expect(r.expiresAt - Date.parse(r.at) / 1000).toBe(refusedNoticeRetentionDays * 24 * 3600);
    expect(refusalDay(r.at)).toBe('2026-12-07');
    expect(r).not.toHaveProperty('sequence');
    expect(r).toMatchObject({ code: 'TASK_FINISHED', reference: 'ref-1', downstream: 'provisioning' });
  });

  it('is only one the notice endpoint refuses for the task, not any refusal', () => {
    expect(['UNKNOWN_TASK', 'TASK_FINISHED', 'TASK_NOT_DISPATCHED'].every(isNoticeRefusal)).toBe(true);
    expect(isNoticeRefusal('FORBIDDEN')).toBe(false);
    expect(isNoticeRefusal('VERSION_CONFLICT')).toBe(false);
  });
});
