import { recordDownstreamNotice } from '#commands/order/record-downstream-notice';
import { isDomainError } from '#domain/errors';
import { commandHandler } from '#plumbing/http/command-handler';
import { downstreamNoticeBody } from '#plumbing/http/downstream-notice-schema';
import { logger } from '#plumbing/observability';

/**
 * A downstream's notice (progress, completed, failed) about work it accepted. A redelivery with
 * the same Idempotency-Key replays the first answer; one with a new key is recognised by the
 * domain (its sequence, its reference) and changes nothing. A refused notice is logged with its
 * code, the record of what the downstream sent.
 */
export const handler = commandHandler({
  operation: 'downstream-notice',
  roles: ['downstream'],
  body: downstreamNoticeBody(),
  handle: async (req) => {
    const ctx = { now: req.now, actor: req.principal, correlationId: req.correlationId };
    const orderId = req.params.orderId ?? '';
    const taskId = req.params.taskId ?? '';
    try {
      const recorded = await recordDownstreamNotice(orderId, taskId, req.body, ctx);
      logger.info('downstream notice', { orderId, taskId, status: req.body.status, result: recorded.result });
      return { status: 200, body: recorded };
    } catch (error) {
      if (isDomainError(error)) {
        logger.warn('downstream notice refused', {
          orderId,
          taskId,
          code: error.code,
          status: req.body.status,
          reference: req.body.reference,
          correlationIdOfTask: req.body.correlationId,
          channelId: req.principal.channelId,
        });
      }
      throw error;
    }
  },
});
