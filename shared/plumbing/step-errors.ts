import { DomainError } from '#domain/errors';

/** A domain code as an error name: VERSION_CONFLICT → VersionConflict. */
export const stepErrorName = (code: string): string =>
  code
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/**
 * Lambda reports a thrown error's `name` to Step Functions, which matches Retry and Catch on it:
 * a domain error leaves a workflow step named by its code (`VersionConflict`), never `DomainError`.
 */
export const withStepErrors =
  <E, C, R>(step: (event: E, context: C) => Promise<R>) =>
  async (event: E, context: C): Promise<R> => {
    try {
      return await step(event, context);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw Object.assign(new Error(error.message, { cause: error }), { name: stepErrorName(error.code) });
    }
  };
