import type { Stored } from '#adapters/aggregate-store';
import { catalogForDrafts, loadCurrentCatalog, requireCurrentCatalog } from '#adapters/catalog-store';
import { loadQuoteWithCatalog, saveNewQuote, saveQuote } from '#adapters/quote-repository';
import type { CommandContext } from '#domain/actor';
import type { CatalogRelease } from '#domain/catalog/catalog-release';
import type { DomainEvent } from '#domain/events';
import type { Quote, QuoteCommandResult } from '#domain/quote/quote';
import { emit } from '#plumbing/metrics';
import { decideOnCurrent } from './optimistic-concurrency.ts';

export type QuoteCommandContext = CommandContext & { catalog: CatalogRelease };

/**
 * What a command needs of the catalog: `draft` work goes on with the last release read when the
 * current one cannot be read; anything else refuses with this 503 code (never a stale price).
 */
export type CatalogNeed = 'draft' | { unavailableCode: string };

export type QuoteDecision = QuoteCommandResult & { approvalInvalidated?: boolean };

/** Approval signals read off the events a command wrote (the events are the facts). */
const emitQuoteSignals = (events: readonly DomainEvent[], invalidated?: boolean) => {
  const granted = events.filter(
    (e) => e.eventType === 'QuoteApprovalDecidedEvent' && e.resource.approvalDecision.decision !== 'REJECT',
  );
  if (granted.length > 0) emit('ApprovalsGranted', granted.length);
  if (invalidated || events.some((e) => e.eventType === 'QuoteApprovalInvalidatedEvent'))
    emit('ApprovalInvalidated', 1);
};

/**
 * Load-decide-save of one quote: the quote as the caller may see it with the current catalog
 * (one read), a pure domain decision, one version-conditional write with its events.
 */
export const changeQuote = async (spec: {
  quoteId: string;
  ctx: CommandContext;
  catalog: CatalogNeed;
  /** The version the client edited (If-Match), when it sent one. */
  expectedVersion?: number;
  /**
   * Checked on the stored quote before anything is decided (who may do what in which state); may
   * read what the decision needs besides the quote (the installed products a change line names).
   */
  guard?: (stored: Stored<Quote>) => void | Promise<void>;
  decide: (quote: Quote, ctx: QuoteCommandContext) => QuoteDecision;
}): Promise<{ quote: Quote; release: CatalogRelease; degraded: boolean }> => {
  let catalog = { release: undefined as unknown as CatalogRelease, degraded: false };
  let actor = spec.ctx.actor;
  // The quote as loaded: a large quote's save writes only the pages the decision changed.
  let before: Quote | undefined;
  const decided = await decideOnCurrent({
    load: async () => {
      const read = await loadQuoteWithCatalog(spec.ctx.actor, spec.quoteId);
      // An approver decides with the authority of record read now, never the token's cached claim.
      actor = read.actor();
      // The catalog's answer first: a command needing the current price book refuses with its code.
      catalog =
        spec.catalog === 'draft'
          ? await catalogForDrafts(read.catalog)
          : {
              release: await requireCurrentCatalog(spec.catalog.unavailableCode, read.catalog),
              degraded: false,
            };
      const stored = read.quote();
      await spec.guard?.(stored);
      before = stored.aggregate;
      return stored;
    },
    ...(spec.expectedVersion !== undefined ? { expectedVersion: spec.expectedVersion } : {}),
    decide: (stored) => {
      const { quote, events, approvalInvalidated } = spec.decide(stored.aggregate, {
        ...spec.ctx,
        actor,
        catalog: catalog.release,
      });
      return { aggregate: quote, events, result: approvalInvalidated };
    },
    save: (decided, expectedVersion) =>
      saveQuote(decided.aggregate, expectedVersion, decided.events, spec.ctx, undefined, before),
  });
  emitQuoteSignals(decided.events, decided.result);
  return { quote: { ...decided.aggregate, version: decided.version }, ...catalog };
};

/**
 * A new quote, written with the partner's account claim. `draft` creation goes on with the last
 * release read while the catalog is unreadable; `current` needs the current price book.
 */
export const openQuote = async (
  ctx: CommandContext,
  catalog: 'draft' | 'current',
  create: (ctx: QuoteCommandContext) => QuoteCommandResult,
): Promise<{ quote: Quote; release: CatalogRelease; degraded: boolean }> => {
  const { release, degraded } =
    catalog === 'draft' ? await catalogForDrafts() : { ...(await loadCurrentCatalog()), degraded: false };
  const { quote, events } = create({ ...ctx, catalog: release });
  const version = await saveNewQuote(quote, events, ctx);
  return { quote: { ...quote, version }, release, degraded };
};
