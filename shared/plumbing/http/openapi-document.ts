import * as z from 'zod/mini';
import { catalogReleaseSchema } from '#domain/catalog/catalog-release-schema';
import { type HubApi, notifiedEventTypes } from '#domain/notification/hub';
import { api, type FunctionName, type Route } from '#topology';

import tmfComponents from '../../../conformance/tmf-components.json' with { type: 'json' };
import { downstreamNoticeBody } from './downstream-notice-schema.ts';
import {
  expiringQuotesQuery,
  hubDeliveriesQuery,
  kpiReportQuery,
  quoteWorklistQuery,
  reconciliationRunBody,
  refusedNoticesQuery,
  timelineQuery,
  viewPageQuery,
} from './ops-schemas.ts';
import {
  cancelProductOrderBody,
  createProductOrderBody,
  listCancellationQuery,
  listQuery,
  patchProductOrderBody,
  repairBody,
  reviseProductOrderBody,
} from './order-schemas.ts';
import { approvalBody, createQuoteBody, emptyBody, replaceLinesBody } from './quote-schemas.ts';
import { responseComponents } from './response-schemas.ts';
import { isTmfPath, TMF_MEDIA_TYPE } from './responses.ts';
import { orderSearchQuery, quoteSearchQuery } from './search-schemas.ts';
import { retrieveQuery } from './tmf-list.ts';
import {
  createTmf648QuoteBody,
  hubRegistrationBody,
  listQuoteQuery,
  patchTmf648QuoteBody,
} from './tmf648-schemas.ts';

type JsonSchema = Record<string, unknown>;
type ErrorStatus = '400' | '404' | '409' | '412' | '422' | '503';
/** `schema` per path where one function serves several routes (the views). */
type Response = { status: string; schema?: JsonSchema | ((path: string) => JsonSchema); headers?: string[] };
type Operation = {
  summary: string;
  roles?: string;
  body?: z.ZodMiniType;
  /** The query schema the handler validates with (per path where one function serves several). */
  query?: z.ZodMiniType | ((path: string) => z.ZodMiniType | undefined);
  /** Query parameters the handler reads besides its schema (TMF date filters). */
  dateFilters?: string[];
  /** Business refusals by status, with their codes (the generic ones are derived from the route). */
  errors?: Partial<Record<ErrorStatus, string[]>>;
  /** Media type of the success body where it is not JSON. */
  media?: string;
  idempotent?: boolean;
  /** TMF POST: the client's identity (`externalId`, …) stands in for Idempotency-Key. */
  clientIdentity?: string;
  /** TMF operation id where TM Forum names one; otherwise method and path, e.g. `get_quotes_quoteId`. */
  operationId?: string;
  response?: Response;
  /** Where one function serves several methods (the hub registers and unregisters). */
  byMethod?: Partial<Record<Route['method'], Partial<Operation>>>;
};

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const listOf = (name: string): JsonSchema => ({ type: 'array', items: ref(name) });
const paged = ['X-Total-Count', 'X-Result-Count'];
const viewBody = (path: string): JsonSchema =>
  ref(
    path.includes('/order-tracking/')
      ? 'OrderTrackingView'
      : path.endsWith('/approval-inbox')
        ? 'ApprovalInboxPage'
        : path.endsWith('/expiring-quotes')
          ? 'ExpiringQuotesPage'
          : path.endsWith('/fallout')
            ? 'FalloutPage'
            : path.endsWith('/quote-worklist')
              ? 'QuoteWorklistPage'
              : path.endsWith('/stale-approvals')
                ? 'StaleApprovalsPage'
                : path.endsWith('/order-sla-risk')
                  ? 'OrderSlaRiskPage'
                  : 'AccountTimelinePage',
  );

/** A PATCH of an order's items is a revision: both routes refuse the same way. */
const revisionErrors = {
  '409': ['VERSION_CONFLICT', 'QUOTE_ALREADY_CONVERTED'],
  '412': ['PRECONDITION_FAILED'],
  '422': [
    'POINT_OF_NO_RETURN',
    'ORDER_QUOTE_MISMATCH',
    'QUOTE_NOT_ACCEPTED',
    'QUOTE_EXPIRED',
    'ACTION_NOT_APPLICABLE',
    'ORDER_TOO_LARGE',
    'INVALID_STATE_TRANSITION',
  ],
};
const operations: Partial<Record<FunctionName, Operation>> = {
  health: {
    summary: 'Liveness',
    response: { status: '200', schema: ref('Health') },
  },
  openapi: {
    summary: 'This document',
    response: { status: '200', schema: ref('OpenApiDocument') },
  },
  'catalog-get': {
    summary: 'Current catalog release',
    roles: 'all',
    response: { status: '200', schema: ref('CatalogRelease') },
  },
  'catalog-publish': {
    summary: 'Publish an immutable catalog release',
    roles: 'ops',
    body: catalogReleaseSchema,
    idempotent: true,
    response: { status: '201', schema: ref('CatalogRelease') },
  },
  'quote-create': {
    summary: 'Create a quote',
    roles: 'partner, sales',
    body: createQuoteBody(),
    idempotent: true,
    response: { status: '201', schema: ref('Quote'), headers: ['ETag'] },
  },
  'quote-get': {
    summary: 'Read a quote (ETag = version)',
    roles:
      'all; partners their channel only; a seller with a region its region’s quotes and those without one',
    response: { status: '200', schema: ref('Quote'), headers: ['ETag'] },
  },
  'quote-patch': {
    summary: 'Replace lines or discounts (If-Match required)',
    roles: 'partner, sales',
    body: replaceLinesBody(),
    response: { status: '200', schema: ref('Quote'), headers: ['ETag'] },
  },
  'quote-price': {
    summary: 'Price the quote',
    roles: 'partner, sales',
    body: emptyBody(),
    idempotent: true,
    response: { status: '200', schema: ref('Quote'), headers: ['ETag'] },
  },
  'quote-submit': {
    summary: 'Submit to deal-policy-1',
    roles: 'partner, sales',
    body: emptyBody(),
    idempotent: true,
    response: { status: '200', schema: ref('Quote'), headers: ['ETag'] },
  },
  'quote-approval': {
    summary: 'Approver decision',
    roles: 'approver',
    body: approvalBody(),
    idempotent: true,
    response: { status: '200', schema: ref('Quote'), headers: ['ETag'] },
  },
  'quote-accept': {
    summary: 'Accept the quote (stores evidence)',
    roles: 'partner, sales',
    body: emptyBody(),
    idempotent: true,
    response: { status: '200', schema: ref('Quote'), headers: ['ETag'] },
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
    roles: 'all and support; partners their channel only',
    operationId: 'retrieveProductOrder',
    response: { status: '200', schema: ref('TMF622_ProductOrder'), headers: ['ETag'] },
  },
  'order-list': {
    summary: 'TMF622 productOrder list (X-Total-Count, X-Result-Count)',
    roles: 'all and support; partners their channel only',
    operationId: 'listProductOrder',
    response: { status: '200', schema: listOf('TMF622_ProductOrder'), headers: paged },
  },
  'product-get': {
    summary: 'TMF637 product (installed base): status, offering, characteristics, prices, contract, lineage',
    roles: 'all; partners their channel only',
    operationId: 'retrieveProduct',
    response: { status: '200', schema: ref('TMF637_Product'), headers: ['ETag'] },
  },
  'product-list': {
    summary:
      'TMF637 product list; filters relatedParty.id (or accountId), status, productOffering.id; fields, limit, offset, cursor (X-Next-Cursor)',
    roles: 'all; partners their channel only',
    operationId: 'listProduct',
    response: {
      status: '200',
      schema: listOf('TMF637_Product'),
      headers: ['X-Result-Count', 'X-Next-Cursor'],
    },
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
    response: { status: '200', schema: ref('DownstreamNoticeResult') },
  },
  'order-repair': {
    summary: 'Repair a fulfillment task (audited)',
    roles: 'ops',
    body: repairBody(),
    idempotent: true,
    response: { status: '201', schema: ref('TaskRepair') },
  },
  'order-patch': {
    summary:
      'TMF622 patchProductOrder before the point of no return (If-Match optional); `productOrderItem` with a new accepted `quote`, alone, is a revision of the order in flight (see POST …/revision)',
    roles: 'partner, sales, ops; own channel',
    body: patchProductOrderBody(),
    operationId: 'patchProductOrder',
    response: { status: '200', schema: ref('TMF622_ProductOrder'), headers: ['ETag'] },
  },
  'order-revise': {
    summary:
      'Revision of an order in flight to a new accepted quote of the same account: items kept by id, added, removed (each before its point of no return; If-Match optional, body revision = current + 1)',
    roles: 'partner, sales, ops; own channel',
    body: reviseProductOrderBody(),
    idempotent: true,
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
    roles:
      'all; partners their channel only; a seller with a region its region’s quotes and those without one',
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
    roles:
      'all; partners their channel only; a seller with a region its region’s quotes and those without one',
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
  'hub-deliveries': {
    summary: 'Delivery log of a hub subscription',
    roles: 'ops',
    response: { status: '200', schema: ref('HubDeliveries') },
  },
  'refused-notices': {
    summary: 'Downstream notices refused (unknown or finished task), newest first, with their counts',
    roles: 'ops',
    response: { status: '200', schema: ref('RefusedNotices') },
  },
  'view-get': {
    summary: 'Read model with freshness',
    roles: 'see the contract per view',
    response: { status: '200', schema: viewBody },
  },
  'ops-dashboard': {
    summary: 'Domain reliability signals',
    roles: 'ops',
    response: { status: '200', schema: ref('OpsDashboard') },
  },
  'reconciliation-start': {
    summary: 'Start a reconciliation run (202)',
    roles: 'ops',
    body: reconciliationRunBody(),
    idempotent: true,
    response: { status: '202', schema: ref('ReconciliationRunStarted'), headers: ['Location'] },
  },
  'reconciliation-get': {
    summary: 'A reconciliation run and its findings',
    roles: 'ops, finance',
    response: { status: '200', schema: ref('ReconciliationRun') },
  },
  search: {
    summary: 'Search quotes or orders: at least one criterion besides limit and cursor (400 otherwise)',
    roles:
      'all (orders: also support); partners their channel only; a seller with a region its region’s quotes and those without one',
    response: { status: '200', schema: ref('SearchPage') },
  },
  'report-kpis': {
    summary: 'KPIs of the reporting facts over [from, to]',
    roles: 'ops, finance',
    response: { status: '200', schema: ref('KpiReport') },
  },
  audit: {
    summary: 'Audit evidence of a quote or an order',
    roles: 'ops',
    response: { status: '200', schema: ref('AuditEvidence') },
  },
  'ops-console': { summary: 'The ops console (HTML; it asks for the operator token)' },
};

const quoteRules = ['INVALID_CONFIGURATION', 'QUOTE_EXPIRED', 'INVALID_STATE_TRANSITION'];
const orderRules = ['QUOTE_NOT_ACCEPTED', 'QUOTE_EXPIRED', 'BILLING_ACCOUNT_MISSING', 'ORDER_QUOTE_MISMATCH'];

/**
 * What the table above does not say: the query schema each handler validates with, the business
 * refusals it answers, the success media type. A new route's entry goes here too.
 */
const details: Partial<Record<FunctionName, Partial<Operation>>> = {
  'catalog-publish': { errors: { '422': ['CATALOG_INCOMPATIBLE', 'INVALID_CONFIGURATION'] } },
  'quote-create': {
    errors: {
      '422': ['CATALOG_INCOMPATIBLE', 'ACCOUNT_NOT_IN_CHANNEL', ...quoteRules],
      '503': ['CATALOG_UNAVAILABLE'],
    },
  },
  'quote-patch': { errors: { '412': ['PRECONDITION_FAILED'], '422': quoteRules } },
  'quote-price': {
    errors: { '422': ['CATALOG_INCOMPATIBLE', ...quoteRules], '503': ['PRICING_UNAVAILABLE'] },
  },
  'quote-submit': {
    errors: {
      '422': ['NOT_PRICED', 'STALE_PRICE', 'POLICY_VIOLATION', ...quoteRules],
      '503': ['PRICE_UNVERIFIABLE'],
    },
  },
  'quote-approval': {
    errors: {
      '422': ['APPROVAL_STALE', 'AUTHORITY_EXCEEDED', ...quoteRules],
      '503': ['APPROVAL_UNVERIFIABLE'],
    },
  },
  'quote-accept': {
    errors: {
      '422': ['APPROVAL_REQUIRED', 'NOT_PRICED', 'STALE_PRICE', ...quoteRules],
      '503': ['PRICE_UNVERIFIABLE'],
    },
  },
  'order-create': {
    clientIdentity: 'externalId',
    errors: { '409': ['QUOTE_ALREADY_CONVERTED'], '422': orderRules },
  },
  'order-get': { query: retrieveQuery() },
  'order-list': {
    query: listQuery(),
    dateFilters: ['orderDate'],
  },
  'order-patch': {
    errors: revisionErrors,
  },
  'order-revise': {
    clientIdentity: 'the order id and the body revision (a revision is applied once)',
    errors: revisionErrors,
  },
  'order-cancel': {
    clientIdentity: 'productOrder.id (an order is cancelled once)',
    errors: { '422': ['POINT_OF_NO_RETURN', 'INVALID_STATE_TRANSITION'] },
  },
  'order-cancel-list': { query: listCancellationQuery() },
  'order-cancel-get': { query: retrieveQuery() },
  'order-repair': {
    errors: {
      '422': ['EVIDENCE_REQUIRED', 'OUTCOME_UNKNOWN', 'REASON_CODE_REQUIRED'],
      '503': ['DOWNSTREAM_UNAVAILABLE'],
    },
  },
  'tmf648-quote-list': { query: listQuoteQuery() },
  'tmf648-quote-create': {
    clientIdentity: 'externalId',
    errors: { '422': ['CATALOG_INCOMPATIBLE', ...quoteRules], '503': ['CATALOG_UNAVAILABLE'] },
  },
  'tmf648-quote-get': { query: retrieveQuery() },
  'tmf648-quote-patch': {
    errors: {
      '412': ['PRECONDITION_FAILED'],
      '422': [
        'NOT_PRICED',
        'STALE_PRICE',
        'POLICY_VIOLATION',
        'APPROVAL_STALE',
        'AUTHORITY_EXCEEDED',
        ...quoteRules,
      ],
      '503': ['PRICE_UNVERIFIABLE'],
    },
  },
  hub: { clientIdentity: 'callback and query', errors: { '422': ['SUBSCRIPTION_LIMIT'] } },
  'hub-deliveries': { query: hubDeliveriesQuery },
  'refused-notices': { query: refusedNoticesQuery },
  'view-get': {
    query: (path) =>
      path.endsWith('/expiring-quotes')
        ? expiringQuotesQuery
        : path.endsWith('/quote-worklist')
          ? quoteWorklistQuery
          : path.endsWith('/timeline')
            ? timelineQuery
            : path.endsWith('/order-tracking/{orderId}')
              ? undefined
              : viewPageQuery,
    errors: { '404': ['NOT_YET_PROJECTED'] },
  },
  'ops-console': { media: 'text/html' },
  'report-kpis': { query: kpiReportQuery },
  search: { query: (path) => (path.endsWith('/quotes') ? quoteSearchQuery : orderSearchQuery) },
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

/** TMF resources answer in the media type the TMF documents declare; errors may also come from the gateway. */
const content = (path: string, schema: JsonSchema, errors = false): Record<string, unknown> =>
  isTmfPath(path)
    ? {
        [TMF_MEDIA_TYPE]: { schema },
        ...(errors ? { 'application/json': { schema } } : {}),
      }
    : { 'application/json': { schema } };

/** Under `fields` a TMF resource is partial: `id`, `href`, `@type` and the attributes named. */
const partial = {
  type: 'object',
  required: ['id', 'href', '@type'],
  description: 'Under `fields`: id, href, @type and the named attributes only',
};
const orPartial = (schema: JsonSchema): JsonSchema =>
  schema.type === 'array'
    ? { ...schema, items: { anyOf: [schema.items, partial] } }
    : { anyOf: [schema, partial] };

const successResponse = (path: string, op: Operation, selectsFields: boolean): Record<string, unknown> => {
  const response = op.response;
  if (op.media) {
    return { '200': { description: 'Success', content: { [op.media]: { schema: { type: 'string' } } } } };
  }
  if (!response) {
    return { '2XX': { description: 'Success', content: content(path, { type: 'object' }) } };
  }
  const schema = typeof response.schema === 'function' ? response.schema(path) : response.schema;
  const headers = Object.fromEntries(
    [...(response.headers ?? []), ...(response.status === '201' ? ['Location'] : [])].map((h) => [
      h,
      { schema: { type: 'string' } },
    ]),
  );
  const replayed =
    op.idempotent && response.status !== '204'
      ? { 'Idempotent-Replayed': { schema: { type: 'string' } } }
      : {};
  return {
    [response.status]: {
      description: response.status === '204' ? 'No content' : 'Success',
      ...(Object.keys(headers).length + Object.keys(replayed).length > 0
        ? { headers: { ...headers, ...replayed } }
        : {}),
      ...(schema ? { content: content(path, selectsFields ? orPartial(schema) : schema) } : {}),
    },
  };
};

const errorOf = (path: string, codes: readonly string[], headers: string[] = []) => ({
  description: `Codes: ${[...new Set(codes)].join(', ')}`,
  ...(headers.length > 0
    ? { headers: Object.fromEntries(headers.map((h) => [h, { schema: { type: 'string' } }])) }
    : {}),
  content: content(
    path,
    { allOf: [ref('Error'), { properties: { code: { enum: [...new Set(codes)] } } }] },
    true,
  ),
});

/**
 * Every 4xx (and 503) the operation can answer, with its codes: the ones every route of its kind
 * answers (input, auth, throttling, idempotency, If-Match) and its own business refusals.
 */
const errorResponses = (route: Route, op: Operation, hasQuery: boolean): Record<string, unknown> => {
  const hasPathIds = route.path.includes('{');
  const takesBody = op.body !== undefined && route.method !== 'GET' && route.method !== 'DELETE';
  const codes: Record<string, string[]> = {};
  const add = (status: string, ...more: string[]) => {
    codes[status] = [...(codes[status] ?? []), ...more];
  };
  if (hasPathIds || hasQuery || takesBody) add('400', 'MALFORMED_REQUEST');
  if (op.idempotent && route.method === 'POST') {
    add('400', 'IDEMPOTENCY_KEY_MISSING');
    add('409', 'IDEMPOTENCY_REQUEST_IN_PROGRESS');
    add('422', 'IDEMPOTENCY_KEY_REUSED');
  }
  if (!route.public) {
    add('401', 'UNAUTHORIZED');
    add('403', 'FORBIDDEN');
    add('429', 'TOO_MANY_REQUESTS', 'QUOTA_EXCEEDED');
    add('503', 'SERVICE_UNAVAILABLE', 'UNAVAILABLE');
  }
  if (hasPathIds) add('404', 'NOT_FOUND');
  if (takesBody) add('413', 'PAYLOAD_TOO_LARGE');
  if (route.function === 'quote-patch') add('428', 'PRECONDITION_REQUIRED');
  for (const [status, more] of Object.entries(op.errors ?? {})) add(status, ...more);
  return Object.fromEntries(
    Object.entries(codes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, list]) => [
        status,
        errorOf(
          route.path,
          list,
          status === '429' || status === '503' || status === '409' ? ['Retry-After'] : [],
        ),
      ]),
  );
};

/** Query parameters from the handler's zod schema (as a client sends them: strings, coerced). */
const queryParameters = (schema: z.ZodMiniType | undefined, dateFilters: string[] = []) => {
  const json = schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema) : {};
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return [
    ...Object.entries(properties).map(([name, property]) => ({
      name,
      in: 'query',
      required: required.has(name),
      schema: property,
    })),
    ...dateFilters.flatMap((attribute) =>
      ['gt', 'gte', 'lt', 'lte'].map((op) => ({
        name: `${attribute}.${op}`,
        in: 'query',
        required: false,
        schema: { type: 'string', description: 'ISO 8601 date or date-time' },
      })),
    ),
  ];
};

/**
 * Events TMF622 v4.0.0 does not define (v5 adds ProductOrderJeopardyEvent): the same envelope as
 * its state change event, the order carrying its `jeopardyAlert` list.
 */
const eventsBeyondTmf = {
  TMF622_ProductOrderJeopardyEvent: {
    ...tmfComponents.TMF622_ProductOrderStateChangeEvent,
    description: 'A task of the order is at risk or breached its expected duration (TMF622 v5 event)',
  },
  // TMF637 events: the TMF event envelope around the product as GET …/product/{id} answers it.
  ...Object.fromEntries(
    notifiedEventTypes.product.map((eventType) => [
      `TMF637_${eventType}`,
      {
        type: 'object',
        required: ['eventId', 'eventTime', 'eventType', 'event'],
        properties: {
          eventId: { type: 'string' },
          eventTime: { type: 'string', format: 'date-time' },
          eventType: { type: 'string', const: eventType },
          event: { type: 'object', required: ['product'], properties: { product: { type: 'object' } } },
        },
      },
    ]),
  ),
};

/** Where each hub's event schemas come from: the TMF document of its API. */
const hubSchemaPrefix: Record<HubApi, string> = {
  productOrder: 'TMF622',
  quote: 'TMF648',
  product: 'TMF637',
};

/**
 * Hub notifications: what the API POSTs to a registered `callback`, one webhook per event type,
 * in the TMF event schema (at least once; de-duplicate by `eventId`).
 */
const hubNotifications = () =>
  Object.fromEntries(
    Object.entries(notifiedEventTypes).flatMap(([hubApi, types]) =>
      types.map((eventType) => [
        eventType,
        {
          post: {
            operationId: `notify${eventType}`,
            summary: `${eventType} to the callback of a ${hubApi} hub subscription`,
            requestBody: {
              required: true,
              content: {
                [TMF_MEDIA_TYPE]: { schema: ref(`${hubSchemaPrefix[hubApi as HubApi]}_${eventType}`) },
              },
            },
            responses: { '2XX': { description: 'Received; anything else is retried, then dead-lettered' } },
          },
        },
      ]),
    ),
  );

/** The TMF API a path belongs to, to keep TMF operation ids unique across the two APIs. */
const apiPrefix = (path: string) => /^\/tmf-api\/(\w+)\//.exec(path)?.[1];

/**
 * The API as built: every route of the topology with its request body schema (from the zod
 * schemas the handlers validate with), its success response (TMF resources as the TMF622 and
 * TMF648 definitions in components) and the error shape.
 */
export const openApiDocument = (baseUrl = 'http://localhost:3000') => {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const route of api.routes) {
    const base = operations[route.function] ?? { summary: route.function };
    const op: Operation = {
      ...base,
      ...(details[route.function] ?? {}),
      ...(base.byMethod?.[route.method] ?? {}),
    };
    const querySchema = typeof op.query === 'function' ? op.query(route.path) : op.query;
    const query = route.method === 'GET' ? queryParameters(querySchema, op.dateFilters) : [];
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
              required: op.clientIdentity === undefined,
              ...(op.clientIdentity
                ? {
                    description: `Optional: without it the request is idempotent on its ${op.clientIdentity}, within the channel`,
                  }
                : {}),
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
      parameters: [...params, ...query, ...headers],
      ...(op.body && route.method !== 'DELETE' && route.method !== 'GET'
        ? {
            requestBody: {
              required: true,
              content: content(
                route.path,
                z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
                true,
              ),
            },
          }
        : {}),
      responses: {
        ...successResponse(
          route.path,
          op,
          query.some((p) => p.name === 'fields'),
        ),
        ...errorResponses(route, op, query.length > 0),
        '5XX': {
          description:
            'A defect (500 INTERNAL_ERROR) or the gateway (502, 504): never an answer to client input',
          content: content(route.path, ref('Error'), true),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    servers: [{ url: baseUrl, description: 'This deployment' }],
    info: {
      title: 'CPQ/OMS API',
      version: '0.1.0',
      description:
        'Quotes (TMF648 states and the TMF648 facade), TMF622 product orders, TMF hubs, read models and operations. Every state-changing POST needs Idempotency-Key: same key + same payload replays the first response with Idempotent-Replayed: true; another payload is 422 IDEMPOTENCY_KEY_REUSED; a request still running is 409 IDEMPOTENCY_REQUEST_IN_PROGRESS with Retry-After.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema, ...responseComponents, ...tmfComponents, ...eventsBeyondTmf },
    },
    paths,
    webhooks: hubNotifications(),
  };
};
