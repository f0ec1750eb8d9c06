import type { SdkError } from '@smithy/types';

/** Cancellation reasons that say DynamoDB was busy, not that the request was wrong. */
const busyReasons = new Set(['ThrottlingError', 'TransactionConflict']);

/**
 * An AWS call refused because the service was at capacity, busy or unreachable after the SDK's
 * own retries: a dependency outage (503 + Retry-After), not a defect. The SDK's own error
 * classification decides (throttling codes incl. TransactionInProgressException, timeouts,
 * connection resets, 5xx); a cancelled transaction is an outage when every failed item was
 * throttled or caught in another transaction.
 *
 * Only a failed call needs the classification: its module (the SDK's retry submodule) is loaded
 * then, not at every function's init.
 */
export const isDependencyOutage = async (error: unknown): Promise<boolean> => {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TransactionCanceledException') {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    const failed = reasons.filter((r) => r.Code && r.Code !== 'None');
    return failed.length > 0 && failed.every((r) => busyReasons.has(r.Code ?? ''));
  }
  if (error.name === 'TransactionConflictException') return true;
  const { isThrottlingError, isTransientError } = await import('./sdk-error-classification.ts');
  const sdk = error as SdkError;
  return isThrottlingError(sdk) || isTransientError(sdk) || (sdk.$metadata?.httpStatusCode ?? 0) >= 500;
};
