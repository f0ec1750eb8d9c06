import * as z from 'zod/mini';
import { catalogReleaseSchema } from '#domain/catalog/catalog-release-schema';
import { api, type FunctionName } from '#topology';
import {
  cancelProductOrderBody,
  createProductOrderBody,
  patchProductOrderBody,
  repairBody,
} from './order-schemas.ts';
import { approvalBody, createQuoteBody, emptyBody, replaceLinesBody } from './quote-schemas.ts';
import { createTmf648QuoteBody, patchTmf648QuoteBody } from './tmf648-schemas.ts';

type Operation = { summary: string; roles?: string; body?: z.ZodMiniType; idempotent?: boolean };

const operations: Partial<Record<FunctionName, Operation>> = {
  health: { summary: 'Liveness' },
  openapi: { summary: 'This document' },
  'catalog-get': { summary: 'Current catalog release', roles: 'all' },
  'catalog-publish': {
    summary: 'Publish an immutable catalog release',
    roles: 'ops',
    body: catalogReleaseSchema,
    idempotent: true,
  },
  'quote-create': {
    summary: 'Create a quote',
    roles: 'partner, sales',
    body: createQuoteBody,
    idempotent: true,
  },
  'quote-get': { summary: 'Read a quote (ETag = version)', roles: 'all; partners their channel only' },
  'quote-patch': {
    summary: 'Replace lines or discounts (If-Match required)',
    roles: 'partner, sales',
    body: replaceLinesBody,
  },
  'quote-price': { summary: 'Price the quote', roles: 'partner, sales', body: emptyBody, idempotent: true },
  'quote-submit': {
    summary: 'Submit to deal-policy-1',
    roles: 'partner, sales',
    body: emptyBody,
    idempotent: true,
  },
  'quote-approval': { summary: 'Approver decision', roles: 'approver', body: approvalBody, idempotent: true },
  'quote-accept': {
    summary: 'Accept the quote (stores evidence)',
    roles: 'partner, sales',
    body: emptyBody,
    idempotent: true,
  },
  'order-create': {
    summary: 'TMF622 productOrder from an accepted quote',
    roles: 'partner, sales',
    body: createProductOrderBody,
    idempotent: true,
  },
  'order-get': { summary: 'TMF622 productOrder', roles: 'all; partners their channel only' },
  'order-list': {
    summary: 'TMF622 productOrder list (X-Total-Count, X-Result-Count)',
    roles: 'all; partners their channel only',
  },
  'order-cancel': {
    summary: 'TMF622 cancelProductOrder',
    roles: 'partner, sales, ops',
    body: cancelProductOrderBody,
    idempotent: true,
  },
  'order-repair': {
    summary: 'Repair a fulfillment task (audited)',
    roles: 'ops',
    body: repairBody,
    idempotent: true,
  },
  'order-patch': {
    summary: 'TMF622 patchProductOrder before the point of no return (If-Match optional)',
    roles: 'partner, sales, ops; own channel',
    body: patchProductOrderBody,
  },
  'order-cancel-get': {
    summary: 'TMF622 cancelProductOrder by id',
    roles: 'partner, sales, ops; own channel',
  },
  'tmf648-quote-create': {
    summary: 'TMF648 createQuote (priced at once)',
    roles: 'partner, sales',
    body: createTmf648QuoteBody,
    idempotent: true,
  },
  'tmf648-quote-get': { summary: 'TMF648 retrieveQuote', roles: 'all; partners their channel only' },
  'tmf648-quote-patch': {
    summary: 'TMF648 patchQuote: quoteItem (repriced) and state through the quote commands',
    roles: 'partner, sales; approver for approved/rejected',
    body: patchTmf648QuoteBody,
  },
  hub: {
    summary: 'TMF registerListener (POST) / unregisterListener (DELETE), scoped to the caller channel',
    roles: 'partner, sales, ops',
    idempotent: true,
  },
  'hub-deliveries': { summary: 'Delivery log of a hub subscription', roles: 'ops' },
  'view-get': { summary: 'Read model with freshness', roles: 'see the contract per view' },
  'ops-dashboard': { summary: 'Domain reliability signals', roles: 'ops' },
  'reconciliation-start': {
    summary: 'Start a reconciliation run (202)',
    roles: 'ops',
    body: emptyBody,
    idempotent: true,
  },
  'reconciliation-get': { summary: 'A reconciliation run and its findings', roles: 'ops' },
};

const errorSchema = {
  type: 'object',
  required: ['code', 'reason', 'message', 'status', 'correlationId'],
  properties: {
    code: { type: 'string', examples: ['STALE_PRICE'] },
    reason: { type: 'string' },
    message: { type: 'string' },
    status: { type: 'string' },
    correlationId: { type: 'string' },
    details: { type: 'object', description: 'Field-level errors under `fields` for 400' },
  },
};

/** The API as built: every route of the topology with its body schema (from the zod schemas). */
export const openApiDocument = () => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of api.routes) {
    const op = operations[route.function] ?? { summary: route.function };
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const headers = [
      { name: 'X-Correlation-Id', in: 'header', required: false, schema: { type: 'string' } },
      ...(op.idempotent && route.method === 'POST'
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              schema: { type: 'string', minLength: 1, maxLength: 255 },
            },
          ]
        : []),
      ...(route.function === 'quote-patch'
        ? [{ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } }]
        : []),
    ];
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: `${route.function}-${route.method.toLowerCase()}`,
      summary: op.summary,
      description: op.roles ? `Roles: ${op.roles}` : undefined,
      security: route.public ? [] : [{ bearer: [] }],
      parameters: [...params, ...headers],
      ...(op.body && route.method !== 'DELETE'
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }),
                },
              },
            },
          }
        : {}),
      responses: {
        default: {
          description: 'Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '2XX': { description: 'Success' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CPQ/OMS API',
      version: '0.1.0',
      description:
        'Quotes (TMF648 states), TMF622 product orders, read models and operations. Every state-changing POST needs Idempotency-Key: same key + same payload replays the first response with Idempotent-Replayed: true; another payload is 422 IDEMPOTENCY_KEY_REUSED; a request still running is 409 IDEMPOTENCY_REQUEST_IN_PROGRESS with Retry-After.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
};
