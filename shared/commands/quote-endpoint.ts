import type * as z from 'zod/mini';
import type { Role } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import type { Quote } from '#domain/quote/quote';
import { toQuoteResource } from '#domain/quote/quote-resource';
import { type ApiRequest, type ApiResponse, apiHandler } from '#plumbing/http/api-handler';
import { commandHandler } from '#plumbing/http/command-handler';
import { HttpError } from '#plumbing/http/http-error';
import { emit } from '#plumbing/metrics';
import { versionOfIfMatch } from './optimistic-concurrency.ts';
import {
  type CatalogNeed,
  changeQuote,
  type QuoteCommandContext,
  type QuoteDecision,
} from './quote-command.ts';

export const quoteResponse = (
  status: number,
  quote: Quote,
  role: Role,
  catalog: CatalogRelease,
  now: string,
  catalogUnverified = false,
): ApiResponse => {
  if (catalogUnverified) emit('DegradedResponse', 1);
  return {
    status,
    body: toQuoteResource(quote, { role, catalog, now, catalogUnverified }),
    headers: { ETag: `"${quote.version}"` },
  };
};

/** The version the client edited, or undefined where If-Match is optional and absent. */
const clientVersion = (ifMatch: string | undefined, required: boolean): number | undefined => {
  if (ifMatch === undefined && !required) return undefined;
  if (ifMatch === undefined) {
    throw new HttpError(428, 'PRECONDITION_REQUIRED', 'If-Match with the quote version is required');
  }
  const version = versionOfIfMatch(ifMatch);
  if (required && !(version >= 1)) {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'If-Match must be a quote version', {
      fields: [{ field: 'If-Match', message: 'expected a version such as "3"' }],
    });
  }
  return version;
};

/** The HTTP binding of a command on an existing quote: transport around `changeQuote`. */
export const quoteCommand = <B, D = B>(spec: {
  operation: string;
  roles: readonly Role[];
  body?: z.ZodMiniType<B>;
  /** POST commands are idempotent by key; PATCH is guarded by If-Match instead. */
  idempotent?: boolean;
  /** Path parameter holding the quote id (`quoteId` on /quotes, `id` on the TMF648 facade). */
  idParam?: string;
  /** The response shape; the `/quotes` resource unless a facade renders its own. */
  render?: (quote: Quote, req: ApiRequest<B>, catalog: CatalogRelease) => ApiResponse;
  catalog: CatalogNeed;
  /** Whether the client's If-Match is required, optional (checked when sent) or not read at all. */
  ifMatch?: 'required' | 'optional';
  /** Checked on the stored quote before deciding (who may do what in which state). */
  guard?: (req: ApiRequest<B>, stored: { version: number; aggregate: Quote }) => void;
  /**
   * The body as the decision takes it, read against the stored quote after the guard (change
   * lines resolved against the installed base of the quote's account); refusals throw.
   */
  resolve?: (req: ApiRequest<B>, stored: { version: number; aggregate: Quote }) => Promise<D>;
  decide: (quote: Quote, ctx: QuoteCommandContext, body: D) => QuoteDecision;
}) =>
  (spec.idempotent === false ? apiHandler<B> : commandHandler<B>)({
    operation: spec.operation,
    roles: spec.roles,
    body: spec.body,
    handle: async (req) => {
      // Without `resolve` the decision takes the body as validated (D is B).
      let body = req.body as unknown as D;
      const expectedVersion = spec.ifMatch
        ? clientVersion(req.headers['if-match'], spec.ifMatch === 'required')
        : undefined;
      const { quote, release, degraded } = await changeQuote({
        quoteId: req.params[spec.idParam ?? 'quoteId'] ?? '',
        ctx: { now: req.now, actor: req.principal, correlationId: req.correlationId },
        catalog: spec.catalog,
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        ...(spec.guard || spec.resolve
          ? {
              guard: async (stored: { version: number; aggregate: Quote }) => {
                spec.guard?.(req, stored);
                if (spec.resolve) body = await spec.resolve(req, stored);
              },
            }
          : {}),
        decide: (current, ctx) => spec.decide(current, ctx, body),
      });
      return spec.render
        ? spec.render(quote, req, release)
        : quoteResponse(200, quote, req.principal.role, release, req.now, degraded);
    },
  });
