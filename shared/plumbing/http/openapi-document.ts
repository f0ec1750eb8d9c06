import * as z from 'zod/mini';
import { catalogReleaseSchema } from '#domain/catalog/catalog-release-schema';
import { api, type FunctionName, type Route } from '#topology';
import tmfComponents from '../../../conformance/tmf-components.json' with { type: 'json' };
import { downstreamNoticeBody } from './downstream-notice-schema.ts';
import {
  cancelProductOrderBody,
  createProductOrderBody,
  patchProductOrderBody,
  repairBody,
} from './order-schemas.ts';
import { approvalBody, createQuoteBody, emptyBody, replaceLinesBody } from './quote-schemas.ts';
import { createTmf648QuoteBody, hubRegistrationBody, patchTmf648QuoteBody } from './tmf648-schemas.ts';

type JsonSchema = Record<string, unknown>;
type Response = { status: string; schema?: JsonSchema; headers?: string[] };
type Operation = {
  summary: string;
  roles?: string;
  body?: z.ZodMiniType;
  idempotent?: boolean;
  /** TMF operation id where TM Forum names one; otherwise method and path, e.g. `get_quotes_quoteId`. */
  operationId?: string;
  response?: Response;
  /** Where one function serves several methods (the hub registers and unregisters). */
  byMethod?: Partial<Record<Route['method'], Partial<Operation>>>;
};

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const listOf = (name: string): JsonSchema => ({ type: 'array', items: ref(name) });
const paged = ['X-Total-Count', 'X-Result-Count'];

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
    body: createQuoteBody(),
    idempotent: true,
  },
  'quote-get': { summary: 'Read a quote (ETag = version)', roles: 'all; partners their channel only' },
  'quote-patch': {
    summary: 'Replace lines or discounts (If-Match required)',
    roles: 'partner, sales',
    body: replaceLinesBody(),
  },
  'quote-price': { summary: 'Price the quote', roles: 'partner, sales', body: emptyBody(), idempotent: true },
  'quote-submit': {
    summary: 'Submit to deal-policy-1',
    roles: 'partner, sales',
    body: emptyBody(),
    idempotent: true,
  },
  'quote-approval': {
    summary: 'Approver decision',
    roles: 'approver',
    body: approvalBody(),
    idempotent: true,
  },
  'quote-accept': {
    summary: 'Accept the quote (stores evidence)',
    roles: 'partner, sales',
    body: emptyBody(),
    idempotent: true,
  },
  'order-create': {
    summary: 'TMF622 productOrder from an accepted quote',
    roles: 'partner, sales',
    body: createProductOrderBody(),
    idempotent: true,
    operationId: 'createProductOrder',
    response: { status: '201', schema: ref('TMF622_ProductOrder') },
  },
  'order-get': {
    summary: 'TMF622 productOrder',
    roles: 'all; partners their channel only',
    operationId: 'retrieveProductOrder',
    response: { status: '200', schema: ref('TMF622_ProductOrder'), headers: ['ETag'] },
  },
  'order-list': {
    summary: 'TMF622 productOrder list (X-Total-Count, X-Result-Count)',
    roles: 'all; partners their channel only',
    operationId: 'listProductOrder',
    response: { status: '200', schema: listOf('TMF622_ProductOrder'), headers: paged },
  },
  'product-get': {
    summary: 'TMF637 product (installed base): status, offering, characteristics, prices, contract, lineage',
    roles: 'all; partners their channel only',
    operationId: 'retrieveProduct',
    response: { status: '200', headers: ['ETag'] },
  },
  'product-list': {
    summary:
      'TMF637 product list; filters relatedParty.id (or accountId), status, productOffering.id; fields, limit, offset, cursor (X-Next-Cursor)',
    roles: 'all; partners their channel only',
    operationId: 'listProduct',
    response: { status: '200', headers: ['X-Result-Count', 'X-Next-Cursor'] },
  },
  'order-cancel': {
    summary: 'TMF622 cancelProductOrder',
    roles: 'partner, sales, ops',
    body: cancelProductOrderBody(),
    idempotent: true,
    operationId: 'createCancelProductOrder',
    response: { status: '201', schema: ref('TMF622_CancelProductOrder') },
  },
  'downstream-notice': {
    summary:
      "A downstream system's notice about work it accepted (idempotent; refused: UNKNOWN_TASK, TASK_FINISHED)",
    roles: 'downstream (its own tasks)',
    body: downstreamNoticeBody(),
    idempotent: true,
  },
  'order-repair': {
    summary: 'Repair a fulfillment task (audited)',
    roles: 'ops',
    body: repairBody(),
    idempotent: true,
  },
  'order-patch': {
    summary: 'TMF622 patchProductOrder before the point of no return (If-Match optional)',
    roles: 'partner, sales, ops; own channel',
    body: patchProductOrderBody(),
    operationId: 'patchProductOrder',
    response: { status: '200', schema: ref('TMF622_ProductOrder'), headers: ['ETag'] },
  },
  'order-cancel-list': {
    summary: 'TMF622 cancelProductOrder list (fields, limit/offset, cursor)',
    roles: 'partner, sales, ops; own channel',
    operationId: 'listCancelProductOrder',
    response: {
      status: '200',
      schema: listOf('TMF622_CancelProductOrder'),
      headers: ['X-Result-Count', 'X-Next-Cursor'],
    },
  },
  'tmf648-quote-list': {
    summary: 'TMF648 listQuote (state, fields, limit/offset, cursor)',
    roles: 'all; partners their channel only',
    operationId: 'listQuote',
    response: { status: '200', schema: listOf('TMF648_Quote'), headers: ['X-Result-Count', 'X-Next-Cursor'] },
  },
  'order-cancel-get': {
    summary: 'TMF622 cancelProductOrder by id',
    roles: 'partner, sales, ops; own channel',
    operationId: 'retrieveCancelProductOrder',
    response: { status: '200', schema: ref('TMF622_CancelProductOrder') },
  },
  'tmf648-quote-create': {
    summary: 'TMF648 createQuote (priced at once)',
    roles: 'partner, sales',
    body: createTmf648QuoteBody(),
    idempotent: true,
    operationId: 'createQuote',
    response: { status: '201', schema: ref('TMF648_Quote'), headers: ['ETag'] },
  },
  'tmf648-quote-get': {
    summary: 'TMF648 retrieveQuote',
    roles: 'all; partners their channel only',
    operationId: 'retrieveQuote',
    response: { status: '200', schema: ref('TMF648_Quote'), headers: ['ETag'] },
  },
  'tmf648-quote-patch': {
    summary: 'TMF648 patchQuote: quoteItem (repriced) and state through the quote commands',
    roles: 'partner, sales; approver for approved/rejected',
    body: patchTmf648QuoteBody(),
    operationId: 'patchQuote',
    response: { status: '200', schema: ref('TMF648_Quote'), headers: ['ETag'] },
  },
  hub: {
    summary: 'TMF registerListener, scoped to the caller channel',
    roles: 'partner, sales, ops',
    idempotent: true,
    body: hubRegistrationBody(),
    operationId: 'registerListener',
    response: { status: '201', schema: ref('TMF622_EventSubscription') },
    byMethod: {
      DELETE: {
        summary: 'TMF unregisterListener (another channel’s id is 404)',
        operationId: 'unregisterListener',
        response: { status: '204' },
      },
    },
  },
  'hub-deliveries': { summary: 'Delivery log of a hub subscription', roles: 'ops' },
  'view-get': { summary: 'Read model with freshness', roles: 'see the contract per view' },
  'ops-dashboard': { summary: 'Domain reliability signals', roles: 'ops' },
  'reconciliation-start': {
    summary: 'Start a reconciliation run (202)',
    roles: 'ops',
    body: emptyBody(),
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

const successResponse = (response: Response | undefined): Record<string, unknown> => {
  if (!response) {
    return {
      '2XX': { description: 'Success', content: { 'application/json': { schema: { type: 'object' } } } },
    };
  }
  const headers = Object.fromEntries(
    (response.headers ?? []).map((h) => [h, { schema: { type: 'string' } }]),
  );
  return {
    [response.status]: {
      description: response.status === '204' ? 'No content' : 'Success',
      ...(response.headers ? { headers } : {}),
      ...(response.schema ? { content: { 'application/json': { schema: response.schema } } } : {}),
    },
  };
};

/** The TMF API a path belongs to, to keep TMF operation ids unique across the two APIs. */
const apiPrefix = (path: string) => /^\/tmf-api\/(\w+)\//.exec(path)?.[1];

/**
 * The API as built: every route of the topology with its request body schema (from the zod
 * schemas the handlers validate with), its success response (TMF resources as the TMF622 and
 * TMF648 definitions in components) and the error shape.
 */
export const openApiDocument = () => {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const route of api.routes) {
    const base = operations[route.function] ?? { summary: route.function };
    const op: Operation = { ...base, ...(base.byMethod?.[route.method] ?? {}) };
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
      ...(route.method === 'PATCH'
        ? [
            {
              name: 'If-Match',
              in: 'header',
              required: route.function === 'quote-patch',
              schema: { type: 'string' },
            },
          ]
        : []),
    ];
    let operationId =
      op.operationId ??
      `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, '')}`;
    if (operationIds.has(operationId))
      operationId = `${apiPrefix(route.path) ?? route.function}_${operationId}`;
    operationIds.add(operationId);
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId,
      summary: op.summary,
      ...(op.roles ? { description: `Roles: ${op.roles}` } : {}),
      security: route.public ? [] : [{ bearer: [] }],
      parameters: [...params, ...headers],
      ...(op.body && route.method !== 'DELETE' && route.method !== 'GET'
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
        ...successResponse(op.response),
        default: {
          description: 'Error (TMF Error shape plus correlationId)',
          content: { 'application/json': { schema: ref('Error') } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CPQ/OMS API',
      version: '0.1.0',
      description:
        'Quotes (TMF648 states and the TMF648 facade), TMF622 product orders, TMF hubs, read models and operations. Every state-changing POST needs Idempotency-Key: same key + same payload replays the first response with Idempotent-Replayed: true; another payload is 422 IDEMPOTENCY_KEY_REUSED; a request still running is 409 IDEMPOTENCY_REQUEST_IN_PROGRESS with Retry-After.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema, ...tmfComponents },
    },
    paths,
  };
};
