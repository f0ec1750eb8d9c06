import { createHash } from 'node:crypto';

/**
 * Deterministic so that every attempt (and every re-entrant run of the state machine) sends the
 * same idempotency key downstream, and a query by it finds an earlier attempt's side effect.
 */
export const taskCorrelationId = (orderId: string, taskId: string): string =>
  'ful-' + createHash('sha256').update(`${orderId}:${taskId}`).digest('hex').slice(0, 32);
