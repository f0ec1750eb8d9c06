import { DomainError } from '#domain/errors';
import { replaceLines } from '#domain/quote/quote';
import { HttpError } from '#plumbing/http/http-error';
import { quoteCommand } from '#plumbing/http/quote-command';
import { replaceLinesBody } from '#plumbing/http/quote-schemas';

/** Optimistic concurrency for clients: If-Match carries the version (the ETag) they edited. */
const expectedVersionOf = (ifMatch: string | undefined): number => {
  if (ifMatch === undefined) {
    throw new HttpError(428, 'PRECONDITION_REQUIRED', 'If-Match with the quote version is required');
  }
  const version = Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(version) || version < 1) {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'If-Match must be a quote version', {
      fields: [{ field: 'If-Match', message: 'expected a version such as "3"' }],
    });
  }
  return version;
};

export const handler = quoteCommand({
  operation: 'quote-patch',
  // Drafts stay editable while the catalog is unreadable (requirements 000 §18.1); the price is unproven anyway.
  catalog: 'draft',
  roles: ['partner', 'sales'],
  idempotent: false,
  body: replaceLinesBody(),
  precondition: (req, stored) => {
    const expected = expectedVersionOf(req.headers['if-match']);
    if (stored.version !== expected) {
      throw new DomainError('PRECONDITION_FAILED', `Quote is at version ${stored.version}, not ${expected}`, {
        currentVersion: stored.version,
      });
    }
  },
  decide: (quote, ctx, body) => replaceLines(quote, body, ctx),
});
