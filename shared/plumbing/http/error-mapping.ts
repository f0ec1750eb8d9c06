import { DomainError } from '#domain/errors';
import { isDependencyOutage } from '#plumbing/dependency-outage';
import { emit, emitDuplicateSubmit, emitRefusal } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import { DependencyUnavailable, HttpError } from './http-error.ts';
import { errorResponse, type HttpResult } from './responses.ts';

/** Thrown errors become the contract's error shape; only a defect is a 500. */
export const mapThrown = async (
  error: unknown,
  correlationId: string,
  operation: string,
): Promise<HttpResult> => {
  if (error instanceof HttpError) {
    return errorResponse(
      error.status,
      error.code,
      error.message,
      correlationId,
      error.details,
      error.headers,
    );
  }
  if (error instanceof DomainError) {
    emitRefusal(operation, error.code);
    return errorResponse(error.status, error.code, error.message, correlationId, error.details);
  }
  const name = error instanceof Error ? error.name : 'unknown';
  switch (name) {
    case 'IdempotencyValidationError':
      return errorResponse(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used with a different request',
        correlationId,
      );
    case 'IdempotencyAlreadyInProgressError':
    // The key's record changed state while Powertools read it (still after its own retries).
    case 'IdempotencyInconsistentStateError':
      emitDuplicateSubmit(operation);
      return errorResponse(
        409,
        'IDEMPOTENCY_REQUEST_IN_PROGRESS',
        'A request with this Idempotency-Key is still being processed',
        correlationId,
        undefined,
        { 'Retry-After': '1' },
      );
    case 'IdempotencyPersistenceLayerError':
    case 'IdempotencyUnknownError':
      logger.error('dependency unavailable', { operation, error: error as Error });
      return errorResponse(
        503,
        'SERVICE_UNAVAILABLE',
        'A dependency needed for this request is unavailable',
        correlationId,
        undefined,
        { 'Retry-After': '2' },
      );
  }
  // An AWS call still throttled, timed out or unreachable after the SDK's retries, from any adapter.
  const outage =
    error instanceof DependencyUnavailable
      ? error
      : (await isDependencyOutage(error))
        ? new DependencyUnavailable(`A dependency is unavailable: ${name}`)
        : undefined;
  if (outage) {
    logger.warn('dependency unavailable', { operation, code: outage.code, error: outage.message });
    emit('DependencyUnavailable', 1, outage.code);
    return errorResponse(503, outage.code, outage.message, correlationId, outage.details, {
      'Retry-After': '2',
    });
  }
  logger.error('unhandled error', { operation, error: error as Error });
  return errorResponse(500, 'INTERNAL_ERROR', 'Unexpected error; it has been logged', correlationId);
};
