import { loadCurrentCatalog } from '#adapters/catalog-store';
import { loadQuoteFor, saveQuote } from '#adapters/quote-repository';
import { DomainError } from '#domain/errors';
import { replaceLines } from '#domain/quote/quote';
import { apiHandler } from '#plumbing/http/api-handler';
import { HttpError } from '#plumbing/http/http-error';
import { commandContext, quoteResponse } from '#plumbing/http/quote-command';
import { replaceLinesBody } from '#plumbing/http/quote-schemas';
import { metrics, signal } from '#plumbing/observability';

/** Optimistic concurrency for clients: If-Match carries the version (the ETag) they edited. */
const expectedVersionOf = (ifMatch: string | undefined): number => {
  if (ifMatch === undefined)
    throw new HttpError(428, 'PRECONDITION_REQUIRED', 'If-Match with the quote version is required');
  const version = Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(version) || version < 1) {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'If-Match must be a quote version', {
      fields: [{ field: 'If-Match', message: 'expected a version such as "3"' }],
    });
  }
  return version;
};

export const handler = apiHandler({
  operation: 'quote-patch',
  roles: ['partner', 'sales'],
  body: replaceLinesBody,
  handle: async (req) => {
    const expected = expectedVersionOf(req.headers['if-match']);
    const { release } = await loadCurrentCatalog();
    const stored = await loadQuoteFor(req.principal, req.params.quoteId ?? '');
    if (stored.version !== expected) {
      throw new DomainError('PRECONDITION_FAILED', `Quote is at version ${stored.version}, not ${expected}`, {
        currentVersion: stored.version,
      });
    }
    const ctx = commandContext(req, release);
    const result = replaceLines(stored.aggregate, req.body, ctx);
    if (result.approvalInvalidated) metrics.addMetric(signal.approvalInvalidated, 'Count', 1);
    const version =
      result.events.length === 0
        ? stored.version
        : await saveQuote(result.quote, stored.version, result.events, ctx);
    return quoteResponse(200, { ...result.quote, version }, req.principal.role, release, req.now);
  },
});
