/** A refusal decided before the domain runs (auth, malformed input, missing key). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A dependency needed to prove an invariant is unavailable: 503, never a silent bypass. */
export class DependencyUnavailable extends Error {
  override readonly name = 'DependencyUnavailable';
  constructor(
    message: string,
    /** The domain code saying what could not be proven, e.g. PRICE_UNVERIFIABLE. */
    readonly code = 'SERVICE_UNAVAILABLE',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
