import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { evidenceStore } from '#adapters/evidence-store';
import { loadConversion, loadOrder } from '#adapters/order-repository';
import { loadQuote } from '#adapters/quote-loader';
import type { EvidenceLink } from '#domain/audit/evidence-link';
import { orderEvidence } from '#domain/audit/order-evidence';
import { quoteEvidence } from '#domain/audit/quote-evidence';
import { DomainError } from '#domain/errors';
import { sha256Hex } from '#domain/quote/canonical-hash';
import { apiHandler } from '#plumbing/http/api-handler';
import { logger } from '#plumbing/observability';

/**
 * GET /audit/quotes/{quoteId} and /audit/orders/{orderId}: evidence views from the source
 * aggregates (never a projection: an audit view must not be a mutable dashboard). Requirements 003
 * §20: only the ops role reads evidence, and every read is logged with who read what.
 */
const auditRoles = ['ops'] as const;

/** Each link with its sealed copy in the write-once store: where, and whether it still matches. */
const withSeals = async (links: EvidenceLink[]) => {
  const store = await evidenceStore();
  return Promise.all(
    links.map(async (link) => {
      const sealed = await store.read(link.key);
      const hash = sealed ? `sha256:${sha256Hex(sealed.body)}` : undefined;
      return {
        ...link,
        sealed: sealed ? { location: sealed.location, hash, matches: hash === link.hash } : null,
      };
    }),
  );
};

const quoteAudit = apiHandler({
  operation: 'audit-quote',
  roles: auditRoles,
  handle: async (req) => {
    const quoteId = req.params.quoteId ?? '';
    const stored = await loadQuote(quoteId);
    if (!stored) throw new DomainError('NOT_FOUND', `Quote ${quoteId} not found`);
    const conversion = await loadConversion(quoteId);
    logger.info('audit evidence read', {
      principalId: req.principal.principalId,
      objectType: 'Quote',
      objectId: quoteId,
    });
    const view = quoteEvidence({ ...stored.aggregate, version: stored.version }, conversion);
    return { status: 200, body: { ...view, evidence: await withSeals(view.evidence), readAt: req.now } };
  },
});

const orderAudit = apiHandler({
  operation: 'audit-order',
  roles: auditRoles,
  handle: async (req) => {
    const orderId = req.params.orderId ?? '';
    const stored = await loadOrder(orderId);
    if (!stored) throw new DomainError('NOT_FOUND', `Product order ${orderId} not found`);
    const quote = await loadQuote(stored.aggregate.quoteId);
    logger.info('audit evidence read', {
      principalId: req.principal.principalId,
      objectType: 'ProductOrder',
      objectId: orderId,
    });
    const view = orderEvidence(
      { ...stored.aggregate, version: stored.version },
      quote ? { ...quote.aggregate, version: quote.version } : undefined,
    );
    return { status: 200, body: { ...view, evidence: await withSeals(view.evidence), readAt: req.now } };
  },
});

export const handler = async (event: APIGatewayProxyEvent, context: Context) => {
  const isQuote = (event.resource ?? event.path ?? '').startsWith('/audit/quotes/');
  return (isQuote ? quoteAudit : orderAudit)(event, context);
};
