/**
 * Business-rule failures raised by the domain core. The HTTP layer maps `status` to the
 * response; the domain never knows about HTTP beyond this number.
 */
export type DomainErrorCode =
  // quotes
  | 'INVALID_CONFIGURATION'
  | 'NOT_PRICED'
  | 'STALE_PRICE'
  | 'POLICY_VIOLATION'
  | 'APPROVAL_REQUIRED'
  | 'APPROVAL_STALE'
  | 'AUTHORITY_EXCEEDED'
  | 'QUOTE_EXPIRED'
  | 'INVALID_STATE_TRANSITION'
  | 'CATALOG_INCOMPATIBLE'
  // orders
  | 'QUOTE_NOT_ACCEPTED'
  | 'QUOTE_ALREADY_CONVERTED'
  | 'BILLING_ACCOUNT_MISSING'
  | 'ORDER_QUOTE_MISMATCH'
  | 'POINT_OF_NO_RETURN'
  | 'EVIDENCE_REQUIRED'
  | 'OUTCOME_UNKNOWN'
  | 'REASON_CODE_REQUIRED'
  | 'FORBIDDEN'
  | 'DOWNSTREAM_UNAVAILABLE'
  // installed base (TMF637) and change orders
  | 'PRODUCT_NOT_FOUND'
  | 'PRODUCT_TERMINATED'
  | 'PRODUCT_CHANGE_IN_FLIGHT'
  | 'ACTION_NOT_APPLICABLE'
  // downstream notices (callbacks)
  | 'UNKNOWN_TASK'
  | 'TASK_FINISHED'
  | 'TASK_NOT_DISPATCHED'
  // order bounds
  | 'NOTES_LIMIT_REACHED'
  | 'ORDER_TOO_LARGE'
  // notifications
  | 'INVALID_SUBSCRIPTION'
  | 'SUBSCRIPTION_LIMIT'
  // generic
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'MALFORMED_REQUEST';

const defaultStatus: Partial<Record<DomainErrorCode, number>> = {
  QUOTE_ALREADY_CONVERTED: 409,
  VERSION_CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  NOT_FOUND: 404,
  PRODUCT_NOT_FOUND: 404,
  PRODUCT_CHANGE_IN_FLIGHT: 409,
  UNKNOWN_TASK: 404,
  TASK_FINISHED: 409,
  TASK_NOT_DISPATCHED: 409,
  INVALID_SUBSCRIPTION: 400,
  DOWNSTREAM_UNAVAILABLE: 503,
};

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly status: number;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    status?: number,
  ) {
    super(message);
    this.status = status ?? defaultStatus[code] ?? 422;
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
