import { createHash } from 'node:crypto';
import type { DownstreamNotice, NoticeRefusal } from './downstream-notice.ts';

/** A downstream notice the order refused, as ops reads it (`GET /ops/refused-notices`). */
export type RefusedNotice = {
  /** The same notice delivered again (under any Idempotency-Key) has the same id. */
  noticeId: string;
  downstream: string;
  orderId: string;
  taskId: string;
  code: NoticeRefusal;
  message: string;
  status: DownstreamNotice['status'];
  reference: string;
  correlationId: string;
  sequence?: number;
  at: string;
  /** Epoch seconds after which the record (and the counts it raised) may go. */
  expiresAt: number;
};

/** Long enough for a downstream owner to be called about it, short enough to stay bounded. */
export const refusedNoticeRetentionDays = 30;

const noticeRefusals: readonly string[] = ['UNKNOWN_TASK', 'TASK_FINISHED', 'TASK_NOT_DISPATCHED'];

export const isNoticeRefusal = (code: string): code is NoticeRefusal => noticeRefusals.includes(code);

/** What identifies a notice is what the downstream said, not when or under which key it said it. */
export const noticeIdOf = (orderId: string, taskId: string, notice: DownstreamNotice): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        orderId,
        taskId,
        notice.correlationId,
        notice.status,
        notice.reference,
        notice.sequence ?? null,
      ]),
    )
    .digest('hex')
    .slice(0, 32);

export const refusedNotice = (input: {
  downstream: string;
  orderId: string;
  taskId: string;
  notice: DownstreamNotice;
  code: NoticeRefusal;
  message: string;
  at: string;
}): RefusedNotice => {
  const { notice } = input;
  return {
    noticeId: noticeIdOf(input.orderId, input.taskId, notice),
    downstream: input.downstream,
    orderId: input.orderId,
    taskId: input.taskId,
    code: input.code,
    message: input.message,
    status: notice.status,
    reference: notice.reference,
    correlationId: notice.correlationId,
    ...(notice.sequence !== undefined ? { sequence: notice.sequence } : {}),
    at: input.at,
    expiresAt: Math.floor(Date.parse(input.at) / 1000) + refusedNoticeRetentionDays * 24 * 3600,
  };
};

/** The UTC day a refusal is counted under (a downstream's counts are kept per day). */
export const refusalDay = (at: string): string => at.slice(0, 10);
