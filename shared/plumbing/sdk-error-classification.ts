/**
 * The SDK's own classification of a failed call, on its own so that it can be loaded when a call
 * has failed (`dependency-outage.ts` imports it dynamically), not at every function's init.
 */
export { isThrottlingError, isTransientError } from '@smithy/core/retry';
