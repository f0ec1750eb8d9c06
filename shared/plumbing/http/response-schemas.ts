import * as z from 'zod/mini';
import { catalogReleaseSchema } from '#domain/catalog/catalog-release-schema';

/**
 * The success bodies of the project's own (non-TMF) operations, as the handlers answer them:
 * required fields and types of the top level and the main nested objects. Objects stay open
 * (`additionalProperties` unset) so adding a field is not a breaking change of the document.
 */
type JsonSchema = Record<string, unknown>;

const str = { type: 'string' };
const int = { type: 'integer' };
const num = { type: 'number' };
const bool = { type: 'boolean' };
const obj = { type: 'object' };
const nullable = (type: string) => ({ type: [type, 'null'] });
const object = (required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}) => ({
  type: 'object',
  required: Object.keys(required),
  properties: { ...required, ...optional },
});
const arrayOf = (items: JsonSchema) => ({ type: 'array', items });
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** Where a read model row came from and how far behind it may be. */
const freshness = object({ sourceVersion: int, projectedAt: str, lagMs: num });

/** A /views list page: one page of rows, each with its freshness. */
const viewPage = (row: JsonSchema, extra: Record<string, JsonSchema> = {}) =>
  object({ count: int, items: arrayOf(row), asOf: str, ...extra }, { nextCursor: str });

const quoteLine = object(
  {
    id: str,
    offeringId: str,
    quantity: int,
    options: obj,
    discountPercent: num,
    catalogVersion: str,
    pricingStatus: str,
  },
  { configuration: obj, action: str, productId: str },
);

const Quote = object(
  {
    id: str,
    version: int,
    state: str,
    customer: object({ accountId: str, name: str }),
    currency: str,
    channelId: str,
    createdAt: str,
    updatedAt: str,
    validFor: obj,
    expired: bool,
    lines: arrayOf(quoteLine),
    pricingStatus: str,
    priceSnapshot: { anyOf: [object({ lines: arrayOf(obj), totals: obj }), { type: 'null' }] },
    pricedAt: nullable('string'),
    approval: object({
      status: { type: 'string', enum: ['NONE', 'PENDING', 'APPROVED', 'REJECTED'] },
      requests: arrayOf(obj),
      decisions: arrayOf(obj),
      invalidations: arrayOf(obj),
      grant: nullable('object'),
    }),
    acceptance: nullable('object'),
  },
  { externalId: str, degraded: object({ components: arrayOf(str), message: str }) },
);

/** requirements 003 §23.2; partners get no `blockingTaskId` (task ids are internal). */
const orderTracking = object({
  orderId: str,
  orderNumber: str,
  channelId: str,
  customer: object({ accountId: nullable('string'), displayName: nullable('string') }),
  quoteId: str,
  source: object({ quoteId: nullable('string'), quoteRevision: nullable('integer') }),
  orderDate: str,
  state: str,
  stateAgeMs: nullable('number'),
  dates: object({
    submittedAt: nullable('string'),
    requestedCompletionDate: nullable('string'),
    promisedCompletionAt: nullable('string'),
  }),
  items: arrayOf(
    object(
      { id: str, state: str, fulfillmentMilestone: str, waitingFor: arrayOf(str) },
      { productName: str, action: str, blockingTaskId: nullable('string') },
    ),
  ),
  freshness: object({ sourceVersion: int, projectedAt: str, stale: bool }),
});

/** requirements 003 §5.1: null where the events of an older quote did not carry the field. */
const approvalInboxRow = object({
  approvalRequestId: str,
  quoteId: str,
  quoteNumber: str,
  quoteRevision: int,
  accountId: str,
  channelId: str,
  customerName: nullable('string'),
  accountSegment: nullable('string'),
  region: nullable('string'),
  totalContractValueMinor: nullable('integer'),
  currency: nullable('string'),
  maxDiscountPercent: nullable('number'),
  requestedBy: nullable('string'),
  currentApprover: object({ role: str, minimumApprovalLimitPercent: nullable('number') }),
  reasonCodes: arrayOf(str),
  status: { const: 'PENDING' },
  // Read from the quote at query time; null when unknown (unpriced, or an offering without cost).
  margin: {
    anyOf: [
      object({
        amountMinor: int,
        percent: nullable('number'),
        currency: str,
        basis: { const: 'MONTHLY_RECURRING' },
        belowGuardrail: bool,
        quoteRevision: int,
      }),
      { type: 'null' },
    ],
  },
  freshness,
});

const expiringQuoteRow = object({
  quoteId: str,
  accountId: str,
  channelId: str,
  owner: nullable('string'),
  revision: int,
  state: str,
  validFor: obj,
  expiresInMs: num,
  approval: { anyOf: [object({ status: str, at: str, ageMs: num }), { type: 'null' }] },
  priceBookVersion: nullable('string'),
  stalePrice: nullable('boolean'),
  conversion: object({ eligible: bool, blockers: arrayOf(str) }),
  freshness,
});

const quoteWorklistRow = object({
  quoteId: str,
  accountId: str,
  channelId: str,
  owner: nullable('string'),
  customerName: nullable('string'),
  state: str,
  ageMs: nullable('number'),
  blockers: arrayOf(str),
  nextAction: str,
  freshness,
});

const staleApprovalRow = object({
  quoteId: str,
  channelId: str,
  state: str,
  approvalRequestId: nullable('string'),
  reasonCodes: arrayOf(str),
  invalidatedBy: str,
  invalidatedAt: str,
  quoteVersion: int,
  freshness,
});

const orderSlaRiskRow = object({
  orderId: str,
  channelId: str,
  state: str,
  slaRisk: object({ level: str }),
  promisedCompletionAt: nullable('string'),
  freshness,
});

const falloutRow = object({
  orderId: str,
  channelId: str,
  reasonCode: str,
  since: str,
  ageMs: num,
  task: nullable('object'),
  freshness,
});

const searchPage = object(
  {
    items: arrayOf(obj),
    freshness: object({
      mode: str,
      source: { type: 'string', enum: ['search-index', 'source'] },
      asOf: str,
      maxLagMs: nullable('number'),
      oldestProjectedAt: nullable('string'),
    }),
  },
  { cursor: str },
);

const evidence = object({
  businessObject: object({ type: str, id: str, version: int, state: str, channelId: str }),
  evidence: arrayOf(obj),
  readAt: str,
});

/** Components the operations below refer to, under `components.schemas`. */
export const responseComponents: Record<string, JsonSchema> = {
  Quote,
  CatalogRelease: z.toJSONSchema(catalogReleaseSchema, {
    io: 'output',
    unrepresentable: 'any',
  }) as JsonSchema,
  OrderTrackingView: orderTracking,
  ApprovalInboxPage: viewPage(approvalInboxRow),
  ExpiringQuotesPage: viewPage(expiringQuoteRow, { withinDays: int }),
  QuoteWorklistPage: viewPage(quoteWorklistRow),
  StaleApprovalsPage: viewPage(staleApprovalRow),
  OrderSlaRiskPage: viewPage(orderSlaRiskRow),
  FalloutPage: viewPage(falloutRow, { byReason: { type: 'object', additionalProperties: int } }),
  AccountTimelinePage: viewPage(
    object({
      occurredAt: str,
      entryType: str,
      title: str,
      timelineSource: { type: 'string', enum: ['quote', 'order', 'task', 'repair', 'asset', 'billing'] },
      visibility: { type: 'string', enum: ['channel', 'staff'] },
      related: obj,
      source: object({
        aggregateType: str,
        aggregateId: str,
        aggregateVersion: int,
        eventId: str,
        eventType: str,
      }),
      freshness,
    }),
    { accountId: str },
  ),
  SearchPage: searchPage,
  AuditEvidence: evidence,
  KpiReport: object({
    from: str,
    to: str,
    engine: str,
    source: str,
    computedAt: str,
    kpis: arrayOf(object({ name: str, semanticVersion: { type: 'integer' }, definition: str, formula: str })),
  }),
  OpsDashboard: object({
    computedAt: str,
    freshness: object({
      dataCurrentThrough: nullable('string'),
      projectionLagP95Ms: nullable('number'),
      lastProjectedAt: nullable('string'),
    }),
    dashboards: { type: 'object', additionalProperties: object({ signals: arrayOf(str) }) },
    signals: {
      type: 'object',
      additionalProperties: object({
        title: str,
        kind: str,
        value: nullable('number'),
        computedAt: str,
        dashboard: str,
      }),
    },
  }),
  HubDeliveries: object({ subscriptionId: str, items: arrayOf(obj) }, { health: obj, cursor: str }),
  RefusedNotices: object(
    { downstream: str, day: str, counts: obj, items: arrayOf(obj) },
    { orderCounts: obj, cursor: str },
  ),
  ReconciliationRunStarted: object({ runId: str, status: str }),
  ReconciliationRun: object(
    {
      id: str,
      scope: object({ checks: arrayOf(str) }),
      trigger: { type: 'string', enum: ['api', 'schedule'] },
      requestedBy: str,
      status: { type: 'string', enum: ['RUNNING', 'COMPLETED', 'FAILED'] },
      startedAt: str,
      thresholdsMs: obj,
      checks: arrayOf(obj),
      findings: arrayOf(obj),
      driftCount: int,
    },
    { completedAt: str, progress: obj, byClassification: obj, findingsTruncated: int },
  ),
  TaskRepair: object({
    repair: object({ taskId: str, action: str }),
    productOrder: ref('TMF622_ProductOrder'),
  }),
  DownstreamNoticeResult: object({
    result: { type: 'string', enum: ['APPLIED', 'DUPLICATE'] },
    task: object({ id: str, state: str }),
  }),
  Health: object({ status: str }),
  OpenApiDocument: object({ openapi: str, info: obj, paths: obj }),
  TMF637_Product: object(
    {
      id: str,
      href: str,
      '@type': { const: 'Product' },
      status: str,
      quantity: int,
      startDate: str,
      productOffering: object({ id: str }),
      productCharacteristic: arrayOf(object({ name: str })),
      productPrice: arrayOf(object({ priceType: str, price: obj })),
    },
    { terminationDate: str },
  ),
};
