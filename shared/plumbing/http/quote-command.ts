import type * as z from 'zod/mini';
import { catalogForDrafts, requireCurrentCatalog } from '#adapters/catalog-store';
import { loadQuoteWithCatalog, saveQuote } from '#adapters/quote-repository';
import type { CommandContext, Role } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import type { DomainEvent } from '#domain/events';
import type { Quote, QuoteCommandResult } from '#domain/quote/quote';
import { toQuoteResource } from '#domain/quote/quote-resource';
import { emit } from '#plumbing/metrics';
import { type ApiRequest, type ApiResponse, apiHandler } from './api-handler.ts';
import { commandHandler } from './command-handler.ts';

/** Approval signals read off the events a command produced (the events are the facts). */
const emitQuoteSignals = (events: DomainEvent[], invalidated?: boolean) => {
  const decided = events.filter((e) => e.eventType === 'QuoteApprovalDecidedEvent');
  const granted = decided.filter(
    (e) => (e.resource.approvalDecision as { decision?: string } | undefined)?.decision !== 'REJECT',
  );
  if (granted.length > 0) emit('ApprovalsGranted', granted.length);
  if (invalidated || events.some((e) => e.eventType === 'QuoteApprovalInvalidatedEvent'))
    emit('ApprovalInvalidated', 1);
};

export type QuoteCommandContext = CommandContext & { catalog: CatalogRelease };

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

export const commandContext = (req: ApiRequest<unknown>, catalog: CatalogRelease): QuoteCommandContext => ({
  now: req.now,
  actor: req.principal,
  correlationId: req.correlationId,
  catalog,
});

/**
 * The shape of every command on an existing quote: current catalog, the caller's view of the
 * quote, a pure domain decision, one version-conditional write with its events.
 */
export const quoteCommand = <B>(spec: {
  operation: string;
  roles: readonly Role[];
  body?: z.ZodMiniType<B>;
  /** POST commands are idempotent by key; PATCH is guarded by If-Match instead. */
  idempotent?: boolean;
  /** Path parameter holding the quote id (`quoteId` on /quotes, `id` on the TMF648 facade). */
  idParam?: string;
  /** The response shape; the `/quotes` resource unless a facade renders its own. */
  render?: (quote: Quote, req: ApiRequest<B>, catalog: CatalogRelease) => ApiResponse;
  /**
   * What the command needs of the catalog: `draft` work goes on with the last release read when
   * the current one cannot be read; anything else refuses with this 503 code (never a stale price).
   */
  catalog: 'draft' | { unavailableCode: string };
  /** Checked on the stored quote before deciding, e.g. the client's If-Match version. */
  precondition?: (req: ApiRequest<B>, stored: { version: number; aggregate: Quote }) => void;
  decide: (
    quote: Quote,
    ctx: QuoteCommandContext,
    body: B,
  ) => QuoteCommandResult & { approvalInvalidated?: boolean };
}) =>
  (spec.idempotent === false ? apiHandler<B> : commandHandler<B>)({
    operation: spec.operation,
    roles: spec.roles,
    body: spec.body,
    handle: async (req) => {
      const read = await loadQuoteWithCatalog(req.principal, req.params[spec.idParam ?? 'quoteId'] ?? '');
      // The catalog's answer first: a command needing the current price book refuses with its code.
      const { release, degraded } =
        spec.catalog === 'draft'
          ? await catalogForDrafts(read.catalog)
          : {
              release: await requireCurrentCatalog(spec.catalog.unavailableCode, read.catalog),
              degraded: false,
            };
      const stored = read.quote();
      spec.precondition?.(req, stored);
      const ctx = commandContext(req as ApiRequest<unknown>, release);
      const result = spec.decide(stored.aggregate, ctx, req.body);
      emitQuoteSignals(result.events, result.approvalInvalidated);
      const version =
        result.events.length === 0
          ? stored.version
          : await saveQuote(result.quote, stored.version, result.events, ctx);
      const saved = { ...result.quote, version };
      return spec.render
        ? spec.render(saved, req, release)
        : quoteResponse(200, saved, req.principal.role, release, req.now, degraded);
    },
  });
