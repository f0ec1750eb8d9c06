import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { loadAggregate } from '#adapters/aggregate-store';
import { loadConversion } from '#adapters/order-repository';
import { orderEvidence } from '#domain/audit/order-evidence';
import { quoteEvidence } from '#domain/audit/quote-evidence';
import { DomainError } from '#domain/errors';
import type { ProductOrder } from '#domain/order/product-order';
import type { Quote } from '#domain/quote/quote-types';
import { apiHandler } from '#plumbing/http/api-handler';
import { logger } from '#plumbing/observability';

/**
 * GET /audit/quotes/{quoteId} and /audit/orders/{orderId}: evidence views from the source
 * aggregates (never a projection: an audit view must not be a mutable dashboard). Seed 003
 * §20: only the ops role reads evidence, and every read is logged with who read what.
 */
const auditRoles = ['ops'] as const;

const quoteAudit = apiHandler({
  operation: 'audit-quote',
  roles: auditRoles,
  handle: async (req) => {
    const quoteId = req.params.quoteId ?? '';
    const stored = await loadAggregate<Quote>('QUOTE', quoteId);
    if (!stored) throw new DomainError('NOT_FOUND', `Quote ${quoteId} not found`);
    const conversion = await loadConversion(quoteId);
    logger.info('audit evidence read', {
      principalId: req.principal.principalId,
      objectType: 'Quote',
      objectId: quoteId,
    });
    return {
      status: 200,
      body: {
        ...quoteEvidence({ ...stored.aggregate, version: stored.version }, conversion),
        readAt: req.now,
      },
    };
  },
});

const orderAudit = apiHandler({
  operation: 'audit-order',
  roles: auditRoles,
  handle: async (req) => {
    const orderId = req.params.orderId ?? '';
    const stored = await loadAggregate<ProductOrder>('ORDER', orderId);
    if (!stored) throw new DomainError('NOT_FOUND', `Product order ${orderId} not found`);
    const quote = await loadAggregate<Quote>('QUOTE', stored.aggregate.quoteId);
    logger.info('audit evidence read', {
      principalId: req.principal.principalId,
      objectType: 'ProductOrder',
      objectId: orderId,
    });
    return {
      status: 200,
      body: {
        ...orderEvidence(
          { ...stored.aggregate, version: stored.version },
          quote ? { ...quote.aggregate, version: quote.version } : undefined,
        ),
        readAt: req.now,
      },
    };
  },
});

export const handler = async (event: APIGatewayProxyEvent, context: Context) => {
  const isQuote = (event.resource ?? event.path ?? '').startsWith('/audit/quotes/');
  return (isQuote ? quoteAudit : orderAudit)(event, context);
};
