import { isDomainError } from '#domain/errors';

/** The domain error code a call throws; `none` when it does not throw, `other` for non-domain errors. */
export const errorCode = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return isDomainError(e) ? e.code : 'other';
  }
  return 'none';
};
