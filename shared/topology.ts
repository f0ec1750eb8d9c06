/**
 * The one description of the system's wiring. The CDK app builds AWS resources from it and the
 * local stack wires the same handlers from it; test/infra proves the template agrees.
 * Plain data only: no AWS or CDK imports (event type lists come from the domain).
 */
import type { Role } from '#domain/actor';
import type { EventType } from '#domain/events';
import { searchIndexSpec } from '#domain/projections/view-catalog';
import { freshSearchPointer, searchPointerKey } from '#domain/search/search-versions';

export type TableName = 'aggregates' | 'idempotency' | 'readModels' | 'search';
/** `write`: key-scoped writes only (`writesKeys`), no reads of the table. */
export type Access = 'read' | 'readWrite' | 'write';

export type FunctionSpec = {
  /** Source file of the handler, relative to the project root; it exports `handler`. */
  entry: string;
  description: string;
  timeoutSeconds?: number;
  memoryMb?: number;
  tables?: Partial<Record<TableName, Access>>;
  /** Function may put events on the domain bus. */
  putsEvents?: boolean;
  /**
   * Function puts the commands it refuses (the ones the KPIs count) on the bus, and nothing else:
   * IAM allows `PutEvents` with source `cpqoms.commands` and detail type `CommandRefusedEvent` only
   * (shared/domain/reporting/refusal-facts.ts).
   */
  publishesRefusals?: boolean;
  /** State machines the function may start. */
  startsStateMachines?: StateMachineName[];
  /** State machines whose running executions the function lists (to find orders none drives). */
  listsExecutionsOf?: StateMachineName[];
  /** Function calls the downstream systems (provisioning, billing) over HTTP. */
  callsDownstream?: boolean;
  /** Bulkhead: the function's reserved concurrency (its cap, and capacity no other function takes). */
  reservedConcurrency?: number;
  /** Directory (relative to the project root) shipped beside the handler, e.g. static files. */
  assetsDir?: string;
  /**
   * Partition-key prefixes the function may write, per table (IAM `dynamodb:LeadingKeys`).
   * Required for every writer of the aggregates table; other tables written without an entry
   * here get an unconditioned write grant.
   */
  writesKeys?: Partial<Record<TableName, string[]>>;
  /**
   * Partition-key prefixes of the only items a reader of that table reads, by key (IAM
   * `dynamodb:LeadingKeys` on `GetItem`; queries only with `queriesReadsKeys`). Without an entry a read
   * grant reads the table.
   */
  readsKeys?: Partial<Record<TableName, string[]>>;
  /** Function reads several of its `readsKeys` items in one `BatchGetItem` (same key condition). */
  batchReadsKeys?: boolean;
  /** Function queries within its `readsKeys` partitions (a paged aggregate: header and pages). */
  queriesReadsKeys?: boolean;
  /** Idempotency key prefixes (the handler's idempotent operations) when they are not the function name. */
  idempotencyOperations?: string[];
  /** Function reads the change streams of these tables directly (redrive of parked batches). */
  readsStreams?: TableName[];
  /** Function queries the reporting facts (Athena over the data lake; DuckDB locally). */
  queriesFacts?: boolean;
  /** Audit evidence store access: `seal` writes records once, `read` reads them. */
  evidence?: 'seal' | 'read';
  /** Function pages a list and seals its cursors (shared/plumbing/http/cursor.ts): it gets the cursor key. */
  sealsCursors?: boolean;
};

export type TableSpec = {
  partitionKey: string;
  sortKey?: string;
  stream?: 'NEW_AND_OLD_IMAGES';
  timeToLiveAttribute?: string;
  globalSecondaryIndexes?: IndexSpec[];
};

/**
 * A GSI; `projection` lists the non-key attributes its queries read (none: keys only).
 * `queriedBy`: the only functions that may query it (without it, every reader of the table).
 */
export type IndexSpec = {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  projection: string[];
  queriedBy?: FunctionName[];
};

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path with `{param}` placeholders. */
  path: string;
  function: FunctionName;
  /** Routes without auth skip the authorizer (health, OpenAPI document). */
  public?: boolean;
};

export type Throttle = { rateLimit: number; burstLimit: number };

/**
 * Per-channel API Gateway usage plan (requests per second, burst, requests per day). `methods`
 * adds narrower limits for single routes (`'POST /path'`, usage-plan method throttling): a request
 * must fit both its method's bucket and the plan's.
 */
export type UsagePlan = Throttle & { quotaPerDay: number; methods?: Record<string, Throttle> };

export type StreamConsumer = {
  table: TableName;
  function: FunctionName;
  batchSize: number;
  maxRetries: number;
  /** Lambda event filter pattern (EventBridge pattern syntax) over the stream record. */
  filter: Record<string, unknown>;
  /** On-failure destination: where a batch is parked (as its shard and sequence range) after the retries. */
  onFailure?: QueueName;
  /**
   * Lambda's MaximumBatchingWindowInSeconds: records are gathered this long (or until a batch is
   * full) before an invocation, trading that much freshness for fewer, fuller batches.
   */
  maxBatchingWindowSeconds?: number;
};

export type QueueName = 'outbox-parked' | 'projection-parked';
export type QueueSpec = {
  description: string;
  /** Function that drains the queue (SQS event source, partial batch responses). */
  consumer: FunctionName;
  batchSize: number;
  /** A message whose processing failed comes back after this long (the redrive retry pace). */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
};

export type EventRule = {
  name: string;
  description: string;
  /** Domain events, and the command refusals the reporting facts count. */
  pattern: {
    source?: string[];
    'detail-type'?: (EventType | 'CommandRefusedEvent')[];
    detail?: Record<string, unknown>;
  };
  target: { function: FunctionName };
};

/** EventBridge → Kinesis Data Firehose → S3 (locally: NDJSON files under the stack's data folder). */
export type DeliveryStreamName = 'facts';
export type DeliveryStreamSpec = {
  description: string;
  /** Events matching this pattern are delivered to the stream. */
  pattern: EventRule['pattern'];
  /** Firehose record transformation: fact rows as NDJSON plus the partition keys. */
  processor: FunctionName;
  /** Object key prefix; `{key}` is the processor's partition key of that name. */
  prefix: string;
  bufferSeconds: number;
};

export type StateMachineName = 'fulfillment' | 'fulfillment-steps' | 'reconciliation';
export type StateMachineSpec = {
  definitionFile: string;
  /**
   * STANDARD: billed per state transition, may run for a year (long waits, holds).
   * EXPRESS: billed per request and duration, at most 5 minutes (tight loops of tasks).
   */
  type: 'STANDARD' | 'EXPRESS';
  /** `${Placeholder}` in the ASL file → the function whose ARN replaces it. */
  taskFunctions: Record<string, FunctionName>;
  /** `${Placeholder}` → a state machine this one runs to its end as a child (startExecution.sync:2). */
  childMachines?: Record<string, StateMachineName>;
  /**
   * What its CloudWatch log keeps. A Standard run's execution history already holds every event, so
   * its log keeps errors only; an Express run has no history: its log is the only record (ALL).
   */
  logLevel: 'ALL' | 'ERROR';
};

/**
 * Lambda's advanced logging. The handlers write JSON (Powertools); at system level WARN, Lambda
 * drops its own START, END and REPORT lines, priced per invocation, and keeps its warnings
 * (timeouts, out of memory, init errors). Duration and memory stay in the Lambda metrics.
 * The application level is Powertools' too (Lambda's setting overrides it): INFO, because the EMF
 * metric documents carry no level and Lambda counts such lines as INFO; above it they would be dropped.
 */
export const lambdaLogging = { format: 'JSON', systemLogLevel: 'WARN', applicationLogLevel: 'INFO' } as const;

export type Schedule = {
  name: string;
  description: string;
  /** EventBridge Scheduler expression in AWS. */
  expression: string;
  /** Interval of the local scheduler. */
  localIntervalMs: number;
  target: { function: FunctionName };
};

export const eventSources = {
  quote: 'cpq-oms.quote',
  productOrder: 'cpq-oms.productOrder',
  catalog: 'cpq-oms.catalog',
  productInventory: 'cpq-oms.productInventory',
  /** Commands refused with a domain code the KPIs count (reporting/refusal-facts.ts). */
  commands: 'cpqoms.commands',
} as const;

const aggregatesRw = { aggregates: 'readWrite' } as const;
const commandTables = { aggregates: 'readWrite', idempotency: 'readWrite' } as const;
/** Aggregate key prefixes (adapters/aggregate-store.ts) a command may write. */
const writesQuotes = { aggregates: ['QUOTE#', 'OUTBOX#QUOTE#'] };
/**
 * Commands on a quote of up to 500 lines read and write it whole (≈ 600 KB over 16 pages, its
 * events, its idempotency record), as does the conversion of such a quote into an order: more than
 * the default 10 s leaves for a store that is slow for a moment, within API Gateway's 29 s.
 */
const largeQuoteCommandTimeoutSeconds = 20;
/** JEOPARDY# = the order's SLA watch item (adapters/jeopardy-watch.ts), written with the order. */
/** PRODUCT# = an installed product a change order holds (adapters/product-repository.ts). */
const writesOrders = { aggregates: ['ORDER#', 'OUTBOX#ORDER#', 'CONVERSION#', 'JEOPARDY#', 'PRODUCT#'] };
/** A change of an existing order (workflow steps, patch): the aggregate and its outbox only. */
const changesOrders = { aggregates: ['ORDER#', 'OUTBOX#ORDER#'] };
/** A revision of an order: the order, its outbox, the revision quote's conversion record, a jeopardy watch. */
const revisesOrders = { aggregates: [...changesOrders.aggregates, 'CONVERSION#', 'JEOPARDY#'] };
/** The step that completes an order also writes the installed products its items add or change. */
const completesOrders = { aggregates: [...changesOrders.aggregates, 'PRODUCT#'] };
/** Reconciliation runs (adapters/reconciliation-runs.ts): the run aggregate, no events. */
const writesRuns = { aggregates: ['RECON#'] };

export const functions = {
  authorizer: {
    entry: 'functions/api/authorizer.ts',
    description: 'Bearer token → principal (role, channel)',
  },
  health: { entry: 'functions/api/health.ts', description: 'Liveness of the API' },
  openapi: { entry: 'functions/api/openapi.ts', description: 'Serves the OpenAPI document' },
  'catalog-get': {
    entry: 'functions/api/catalog-get.ts',
    description: 'Current catalog release',
    tables: { aggregates: 'read' },
  },
  'catalog-publish': {
    entry: 'functions/api/catalog-publish.ts',
    description: 'Publish an immutable catalog release',
    tables: commandTables,
    writesKeys: { aggregates: ['CATALOG#', 'OUTBOX#CATALOG#'] },
  },
  'quote-create': {
    entry: 'functions/api/quote-create.ts',
    description: 'Create a quote',
    tables: commandTables,
    writesKeys: writesQuotes,
    publishesRefusals: true,
    timeoutSeconds: largeQuoteCommandTimeoutSeconds,
  },
  'quote-get': {
    entry: 'functions/api/quote-get.ts',
    description: 'Read a quote',
    tables: { aggregates: 'read' },
  },
  'quote-patch': {
    entry: 'functions/api/quote-patch.ts',
    description: 'Replace quote lines (If-Match)',
    tables: aggregatesRw,
    writesKeys: writesQuotes,
    publishesRefusals: true,
    timeoutSeconds: largeQuoteCommandTimeoutSeconds,
  },
  'quote-price': {
    entry: 'functions/api/quote-price.ts',
    description: 'Price a quote',
    tables: commandTables,
    writesKeys: writesQuotes,
    timeoutSeconds: largeQuoteCommandTimeoutSeconds,
  },
  'quote-submit': {
    entry: 'functions/api/quote-submit.ts',
    description: 'Submit a quote to deal policy',
    tables: commandTables,
    writesKeys: writesQuotes,
    timeoutSeconds: largeQuoteCommandTimeoutSeconds,
  },
  'quote-approval': {
    entry: 'functions/api/quote-approval.ts',
    description: 'Approver decision on a quote',
    tables: commandTables,
    writesKeys: writesQuotes,
    reservedConcurrency: 5,
    timeoutSeconds: largeQuoteCommandTimeoutSeconds,
  },
  'quote-accept': {
    entry: 'functions/api/quote-accept.ts',
    description: 'Accept a quote',
    tables: commandTables,
    writesKeys: writesQuotes,
    timeoutSeconds: largeQuoteCommandTimeoutSeconds,
  },
  'order-create': {
    entry: 'functions/api/order-create.ts',
    description: 'TMF622 productOrder from an accepted quote',
    tables: commandTables,
    writesKeys: writesOrders,
    // Bulkhead: one partner's flood of order creation cannot take every execution environment.
    reservedConcurrency: 50,
    publishesRefusals: true,
    timeoutSeconds: largeQuoteCommandTimeoutSeconds,
  },
  'order-get': {
    entry: 'functions/api/order-get.ts',
    description: 'TMF622 productOrder by id',
    tables: { aggregates: 'read' },
  },
  'product-get': {
    entry: 'functions/api/product-get.ts',
    description: 'TMF637 product (installed base) by id',
    tables: { aggregates: 'read' },
    readsKeys: { aggregates: ['PRODUCT#'] },
  },
  'product-list': {
    entry: 'functions/api/product-list.ts',
    description: 'TMF637 product list (installed base)',
    tables: { aggregates: 'read' },
  },
  'order-list': {
    entry: 'functions/api/order-list.ts',
    description: 'TMF622 productOrder list',
    tables: { aggregates: 'read' },
    sealsCursors: true,
  },
  'order-cancel': {
    entry: 'functions/api/order-cancel.ts',
    description: 'TMF622 cancelProductOrder',
    tables: commandTables,
    writesKeys: writesOrders,
    // Bulkhead: capacity kept for the critical low-volume control flows (requirements 000 §13).
    reservedConcurrency: 5,
    publishesRefusals: true,
  },
  'order-patch': {
    entry: 'functions/api/order-patch.ts',
    description: 'TMF622 patchProductOrder before the point of no return (items: a revision)',
    tables: aggregatesRw,
    writesKeys: revisesOrders,
  },
  'order-revise': {
    entry: 'functions/api/order-revise.ts',
    description: 'Revision of a TMF622 productOrder in flight to a new accepted quote',
    tables: commandTables,
    writesKeys: revisesOrders,
  },
  'order-cancel-list': {
    entry: 'functions/api/order-cancel-list.ts',
    description: 'TMF622 cancelProductOrder list',
    tables: { aggregates: 'read' },
    sealsCursors: true,
  },
  'tmf648-quote-list': {
    entry: 'functions/api/tmf648-quote-list.ts',
    description: 'TMF648 listQuote',
    tables: { aggregates: 'read' },
    sealsCursors: true,
  },
  'order-cancel-get': {
    entry: 'functions/api/order-cancel-get.ts',
    description: 'TMF622 cancelProductOrder by id',
    tables: { aggregates: 'read' },
  },
  'order-repair': {
    entry: 'functions/api/order-repair.ts',
    description: 'Ops repair of a fulfillment task',
    tables: commandTables,
    writesKeys: writesOrders,
    reservedConcurrency: 5,
    // MARK_COMPLETE asks the downstream to confirm the offered reference.
    callsDownstream: true,
  },
  'tmf648-quote-create': {
    entry: 'functions/api/tmf648-quote-create.ts',
    description: 'TMF648 createQuote over the quote aggregate',
    tables: commandTables,
    writesKeys: writesQuotes,
    publishesRefusals: true,
    timeoutSeconds: largeQuoteCommandTimeoutSeconds,
  },
  'tmf648-quote-get': {
    entry: 'functions/api/tmf648-quote-get.ts',
    description: 'TMF648 retrieveQuote',
    tables: { aggregates: 'read' },
  },
  'tmf648-quote-patch': {
    entry: 'functions/api/tmf648-quote-patch.ts',
    description: 'TMF648 patchQuote: items and state changes through the quote commands',
    tables: aggregatesRw,
    writesKeys: writesQuotes,
    publishesRefusals: true,
    timeoutSeconds: largeQuoteCommandTimeoutSeconds,
  },
  hub: {
    entry: 'functions/api/hub.ts',
    description: 'TMF hub: register and unregister notification listeners',
    tables: commandTables,
    // Subscriptions (adapters/hub-store.ts), one partition per API and channel.
    writesKeys: { aggregates: ['HUB#'] },
    idempotencyOperations: ['productOrder-hub-register', 'quote-hub-register', 'product-hub-register'],
  },
  'hub-deliveries': {
    entry: 'functions/api/hub-deliveries.ts',
    description: 'Ops: delivery log of a hub subscription',
    tables: { readModels: 'read' },
    sealsCursors: true,
  },
  'refused-notices': {
    entry: 'functions/api/refused-notices.ts',
    description: 'Ops: the downstream notices refused, per downstream, with their counts',
    tables: { readModels: 'read' },
    sealsCursors: true,
  },
  'hub-dispatcher': {
    entry: 'functions/events/hub-dispatcher.ts',
    description: 'Domain events → TMF notifications to the subscribed channel callbacks',
    // Read models: its delivery log and the subscriptions' health (adapters/hub-store.ts).
    tables: { aggregates: 'read', readModels: 'readWrite' },
    writesKeys: { readModels: ['HUBLOG#'] },
    readsKeys: { readModels: ['HUBLOG#'] },
    // A bounded event's work (notification/delivery-budget.ts) fits with room to spare.
    timeoutSeconds: 30,
    // Isolated from the API's capacity: EventBridge invokes it asynchronously, so events wait in
    // its own asynchronous event queue when these are busy instead of taking the account's pool.
    reservedConcurrency: 5,
  },
  'view-get': {
    entry: 'functions/api/view-get.ts',
    description: 'Read models (order tracking, inbox, expiring, fallout, worklists, SLA risk, timeline)',
    // Aggregates, by key only: the order's version (a view behind its source says so), the
    // catalog pointer (stale-price flag) and the inbox page's quote headers (margin).
    tables: { readModels: 'read', aggregates: 'read' },
    readsKeys: { aggregates: ['ORDER#', 'QUOTE#', 'CATALOG#'] },
    batchReadsKeys: true,
    sealsCursors: true,
  },
  'ops-dashboard': {
    entry: 'functions/api/ops-dashboard.ts',
    description: 'Domain reliability signals',
    tables: { readModels: 'read' },
  },
  'reconciliation-start': {
    entry: 'functions/api/reconciliation-start.ts',
    description: 'Records a reconciliation run and starts its workflow',
    tables: commandTables,
    writesKeys: writesRuns,
    startsStateMachines: ['reconciliation'],
  },
  'reconciliation-get': {
    entry: 'functions/api/reconciliation-get.ts',
    description: 'A reconciliation run and its findings',
    tables: { aggregates: 'read' },
  },
  'outbox-publisher': {
    entry: 'functions/streams/outbox-publisher.ts',
    description: 'Outbox items → EventBridge PutEvents',
    putsEvents: true,
  },
  'outbox-redrive': {
    entry: 'functions/streams/outbox-redrive.ts',
    description: 'Parked outbox batches (on-failure destination) → stream records → EventBridge again',
    putsEvents: true,
    readsStreams: ['aggregates'],
    timeoutSeconds: 20,
  },
  'projection-redrive': {
    entry: 'functions/streams/projection-redrive.ts',
    description:
      'Parked projector batches (on-failure destination) → stream records → read models and search again',
    tables: { readModels: 'readWrite', search: 'readWrite' },
    readsStreams: ['aggregates'],
    timeoutSeconds: 20,
  },
  projector: {
    entry: 'functions/streams/projector.ts',
    description: 'Outbox items → read models with freshness and version guard, and search documents',
    tables: { readModels: 'readWrite', search: 'readWrite' },
  },
  'fulfillment-starter': {
    entry: 'functions/events/fulfillment-starter.ts',
    description: 'Starts (or resumes) the fulfillment state machine for an order',
    // Reads the outbox item of a claim-checked trigger (an event too large for EventBridge).
    tables: { aggregates: 'read' },
    readsKeys: { aggregates: ['OUTBOX#'] },
    startsStateMachines: ['fulfillment'],
  },
  'fulfillment-next-step': {
    entry: 'functions/steps/next-step.ts',
    description: 'Asks the order aggregate what to do next',
    tables: aggregatesRw,
    writesKeys: completesOrders,
  },
  'fulfillment-dispatch': {
    entry: 'functions/steps/dispatch.ts',
    description: 'Sends one fulfillment task to its downstream system',
    tables: aggregatesRw,
    writesKeys: changesOrders,
    callsDownstream: true,
    timeoutSeconds: 30,
  },
  'fulfillment-query': {
    entry: 'functions/steps/query.ts',
    description: 'Queries a downstream system by correlation id',
    tables: aggregatesRw,
    writesKeys: changesOrders,
    callsDownstream: true,
  },
  'downstream-notice': {
    entry: 'functions/api/downstream-notice.ts',
    description: "A downstream system's notice (progress, completed, failed) about work it accepted",
    // Read models: the record of the notices it refuses (adapters/refused-notice-store.ts).
    tables: { ...commandTables, readModels: 'write' },
    writesKeys: { ...changesOrders, readModels: ['NOTICEREFUSALS#'] },
    publishesRefusals: true,
  },
  'fulfillment-record': {
    entry: 'functions/steps/record.ts',
    description: 'Records a task outcome on the order aggregate',
    tables: aggregatesRw,
    writesKeys: changesOrders,
  },
  'signal-sampler': {
    entry: 'functions/scheduled/signal-sampler.ts',
    description: 'Emits the gauges of the signal catalog from the gauge items (never reads every item)',
    // Writes the summary gauges only (adapters/gauge-store.ts); reads pointers, lists and gauges.
    tables: { readModels: 'readWrite' },
    writesKeys: { readModels: ['GAUGES'] },
  },
  'ops-console': {
    entry: 'functions/api/ops-console.ts',
    description: 'Serves the ops console page and its static assets',
    assetsDir: 'console',
  },
  'jeopardy-sweep': {
    entry: 'functions/scheduled/jeopardy-sweep.ts',
    description: 'Marks orders at risk of or past their expected completion (TMF622 jeopardyAlert)',
    tables: aggregatesRw,
    // The orders it alerts, their watch items and its own checkpoint (adapters/jeopardy-watch.ts).
    writesKeys: { aggregates: [...changesOrders.aggregates, 'JEOPARDY#', 'JEOPARDY-SWEEP'] },
    timeoutSeconds: 60,
  },
  'reconciliation-run': {
    entry: 'functions/scheduled/reconciliation-run.ts',
    description: 'Scheduled reconciliation run: starts the reconciliation workflow',
    tables: aggregatesRw,
    writesKeys: writesRuns,
    startsStateMachines: ['reconciliation'],
  },
  'reconciliation-plan': {
    entry: 'functions/reconciliation/plan.ts',
    description: 'Cuts a reconciliation run into checkpointed segments',
    tables: aggregatesRw,
    writesKeys: { aggregates: ['RECON#', 'RECONSEG#'] },
  },
  'reconciliation-segment': {
    entry: 'functions/reconciliation/segment.ts',
    description: 'Checks the next pages of one reconciliation segment from its checkpoint',
    // Read models and search documents: the projection and search checks compare them with
    // their source and repair them from it.
    tables: { aggregates: 'readWrite', readModels: 'readWrite', search: 'readWrite' },
    // Its segment checkpoint; read-model rows and gauges anywhere (projection repair).
    writesKeys: { aggregates: ['RECONSEG#'] },
    callsDownstream: true,
    // Restarts fulfillment of orders no execution drives (stranded-order check).
    startsStateMachines: ['fulfillment'],
    listsExecutionsOf: ['fulfillment'],
    timeoutSeconds: 90,
  },
  'reconciliation-finish': {
    entry: 'functions/reconciliation/finish.ts',
    description: 'Summary, findings and drift gauge of a reconciliation run',
    // Read models: the drift summary gauge lives with the other gauges.
    tables: { aggregates: 'readWrite', readModels: 'readWrite' },
    writesKeys: writesRuns,
  },
  search: {
    entry: 'functions/api/search.ts',
    description: 'Quote and order search (near-real-time, exact-id fallback to the source)',
    tables: { search: 'read', aggregates: 'read' },
    sealsCursors: true,
  },
  'fact-mapper': {
    entry: 'functions/events/fact-mapper.ts',
    description: 'Firehose transformation: domain events → reporting fact rows (NDJSON, partition keys)',
    // Reads the whole event of a claim check from its outbox item (adapters/event-details.ts).
    tables: { aggregates: 'read' },
    // Reads the outbox item of a claim-checked event, and the quote or order header a fact
    // needs beyond its event (margin, region, billing terms; reporting/fact-context).
    readsKeys: { aggregates: ['OUTBOX#', 'QUOTE#', 'ORDER#'] },
    // Billing against the contract is judged on the whole order: a paged order is one query.
    queriesReadsKeys: true,
    timeoutSeconds: 60,
  },
  audit: {
    entry: 'functions/api/audit.ts',
    description: 'Audit evidence views of a quote or an order, from the source aggregates (ops only)',
    tables: { aggregates: 'read' },
    evidence: 'read',
    // An order of 500 items and its 500-line quote are read whole (≈ 1.4 MB).
    timeoutSeconds: largeQuoteCommandTimeoutSeconds,
  },
  'evidence-writer': {
    entry: 'functions/events/evidence-writer.ts',
    description: 'Seals the evidence records of a quote or an order, write-once, into the evidence store',
    tables: { aggregates: 'read' },
    evidence: 'seal',
  },
  'report-kpis': {
    entry: 'functions/api/report-kpis.ts',
    description: 'KPIs (requirements 003 §14) computed from the reporting facts, never from OLTP tables',
    queriesFacts: true,
    assetsDir: 'shared/domain/reporting/kpis',
    timeoutSeconds: 29,
  },
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export const tables: Record<TableName, TableSpec> = {
  aggregates: {
    partitionKey: 'pk',
    sortKey: 'sk',
    stream: 'NEW_AND_OLD_IMAGES',
    timeToLiveAttribute: 'expiresAt',
    // Keys only: a list reads a page of keys, then exactly the items it returns (BatchGet).
    globalSecondaryIndexes: [
      { indexName: 'byTypeShard', partitionKey: 'typeShard', sortKey: 'listKey', projection: [] },
      { indexName: 'ordersByShard', partitionKey: 'orderShard', sortKey: 'listKey', projection: [] },
      { indexName: 'ordersByChannel', partitionKey: 'orderChannel', sortKey: 'listKey', projection: [] },
      {
        indexName: 'ordersByChannelState',
        partitionKey: 'orderChannelState',
        sortKey: 'listKey',
        projection: [],
      },
      // Partition `<channel>:<accountId>` (domain/access/channel-ids.ts); a query may narrow by state.
      {
        indexName: 'ordersByCustomer',
        partitionKey: 'orderCustomer',
        sortKey: 'listKey',
        projection: ['channelId', 'state'],
      },
      {
        indexName: 'ordersByStateShard',
        partitionKey: 'orderStateShard',
        sortKey: 'listKey',
        projection: [],
      },
      // Partition `<channel>:<externalId>`; a query may narrow by state, like the customer index.
      {
        indexName: 'ordersByExternalId',
        partitionKey: 'orderExternalId',
        sortKey: 'listKey',
        projection: ['channelId', 'state'],
      },
      // A channel's installed base, narrowed by account, status and offering (TMF637 list).
      {
        indexName: 'productsByChannel',
        partitionKey: 'productChannel',
        sortKey: 'listKey',
        projection: ['accountId', 'status', 'offeringId'],
      },
      { indexName: 'quotesByChannel', partitionKey: 'quoteChannel', sortKey: 'listKey', projection: [] },
      {
        indexName: 'quotesByChannelState',
        partitionKey: 'quoteChannelState',
        sortKey: 'listKey',
        projection: [],
      },
      {
        indexName: 'quotesByStateShard',
        partitionKey: 'quoteStateShard',
        sortKey: 'listKey',
        projection: [],
      },
      // Sparse, and the page is the cancellations themselves: no read of the orders behind them.
      {
        indexName: 'cancellationsByChannel',
        partitionKey: 'cancelChannel',
        sortKey: 'cancelListKey',
        projection: ['cancellation'],
      },
      {
        indexName: 'cancellationsByShard',
        partitionKey: 'cancelShard',
        sortKey: 'cancelListKey',
        projection: ['cancellation'],
      },
    ],
  },
  idempotency: { partitionKey: 'id', timeToLiveAttribute: 'expiration' },
  readModels: {
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'expiresAt',
    globalSecondaryIndexes: [
      { indexName: 'byView', partitionKey: 'view', sortKey: 'sortKey', projection: ['data'] },
      { indexName: 'byOwner', partitionKey: 'ownerView', sortKey: 'sortKey', projection: ['data'] },
      { indexName: 'bySeller', partitionKey: 'sellerView', sortKey: 'sortKey', projection: ['data'] },
    ],
  },
  /** Search documents and their index entries (shared/domain/search/search-index.ts). */
  search: {
    partitionKey: 'pk',
    sortKey: 'sk',
    // Sparse (entries of schema 2 only): a partner's search reads its own channel's entries here.
    globalSecondaryIndexes: [
      {
        indexName: 'entriesByChannel',
        partitionKey: 'channelPk',
        sortKey: 'sk',
        projection: ['docId'],
        queriedBy: ['search'],
      },
    ],
  },
};

const orders = '/tmf-api/productOrderingManagement/v4';
const quotes = '/tmf-api/quoteManagement/v4';
const inventory = '/tmf-api/productInventory/v4';

/**
 * Bulkhead for order submission (requirements 000 §13, admission control per channel and operation): a
 * partner's order creation is admitted at 2 per second with a burst of 10 (its daily quota already
 * holds the average near 1.2 requests a second), so a partner flooding orders is answered 429
 * early and cheaply instead of filling fulfillment, projections and the tables that
 * cancellations, approval decisions and repairs need.
 */
const partnerOrderAdmission: Record<string, Throttle> = {
  [`POST ${orders}/productOrder`]: { rateLimit: 2, burstLimit: 10 },
};

export const api = {
  authorizer: 'authorizer' as FunctionName,
  stage: 'prod',
  /**
   * API Gateway's `validationRegex` for the Authorization header: anything else is 401 before
   * the authorizer runs. The local gateway and the token verifier use the same pattern.
   */
  bearerPattern: '^Bearer [-0-9A-Za-z._~+/]+=*$',
  /** Authorizer results are cached per Authorization header value for this long (both runtimes). */
  authorizerCacheTtlSeconds: 300,
  /** Input limits every API handler enforces before it parses, hashes or stores anything. */
  limits: { maxBodyBytes: 64 * 1024, maxJsonDepth: 16, idPattern: '^[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}$' },
  /**
   * One usage plan per channel; the authorizer returns the channel's usage identifier key. A
   * channel without a plan is refused (403), as API Gateway refuses an unknown API key.
   */
  usagePlans: {
    'partner-a': { rateLimit: 20, burstLimit: 40, quotaPerDay: 100_000, methods: partnerOrderAdmission },
    'partner-b': { rateLimit: 20, burstLimit: 40, quotaPerDay: 100_000, methods: partnerOrderAdmission },
    'sales-portal': { rateLimit: 200, burstLimit: 400, quotaPerDay: 2_000_000 },
    'deal-desk': { rateLimit: 20, burstLimit: 40, quotaPerDay: 100_000 },
    'ops-console': { rateLimit: 20, burstLimit: 40, quotaPerDay: 100_000 },
    'finance-desk': { rateLimit: 10, burstLimit: 20, quotaPerDay: 20_000 },
    'support-desk': { rateLimit: 20, burstLimit: 40, quotaPerDay: 100_000 },
    'downstream-provisioning': { rateLimit: 50, burstLimit: 100, quotaPerDay: 1_000_000 },
    'downstream-billing': { rateLimit: 50, burstLimit: 100, quotaPerDay: 1_000_000 },
  } as Record<string, UsagePlan>,
  /**
   * The roles each channel's principals may hold: a token whose role and channel disagree (an ops
   * role on a partner channel, a partner on the sales portal) or that names another channel is refused.
   */
  channelRoles: {
    'partner-a': ['partner'],
    'partner-b': ['partner'],
    'sales-portal': ['sales'],
    'deal-desk': ['approver'],
    'ops-console': ['ops'],
    'finance-desk': ['finance'],
    'support-desk': ['support'],
    'downstream-provisioning': ['downstream'],
    'downstream-billing': ['downstream'],
  } as Record<string, readonly Role[]>,
  routes: [
    { method: 'GET', path: '/health', function: 'health', public: true },
    { method: 'GET', path: '/openapi.json', function: 'openapi', public: true },
    { method: 'GET', path: '/catalog', function: 'catalog-get' },
    { method: 'POST', path: '/ops/catalog-releases', function: 'catalog-publish' },
    { method: 'POST', path: '/quotes', function: 'quote-create' },
    { method: 'GET', path: '/quotes/{quoteId}', function: 'quote-get' },
    { method: 'PATCH', path: '/quotes/{quoteId}', function: 'quote-patch' },
    { method: 'POST', path: '/quotes/{quoteId}/price', function: 'quote-price' },
    { method: 'POST', path: '/quotes/{quoteId}/submit', function: 'quote-submit' },
    { method: 'POST', path: '/quotes/{quoteId}/approvals', function: 'quote-approval' },
    { method: 'POST', path: '/quotes/{quoteId}/accept', function: 'quote-accept' },
    { method: 'POST', path: `${orders}/productOrder`, function: 'order-create' },
    { method: 'GET', path: `${orders}/productOrder`, function: 'order-list' },
    { method: 'GET', path: `${orders}/productOrder/{id}`, function: 'order-get' },
    { method: 'PATCH', path: `${orders}/productOrder/{id}`, function: 'order-patch' },
    { method: 'POST', path: `${orders}/productOrder/{id}/revision`, function: 'order-revise' },
    { method: 'POST', path: `${orders}/cancelProductOrder`, function: 'order-cancel' },
    { method: 'GET', path: `${orders}/cancelProductOrder`, function: 'order-cancel-list' },
    { method: 'GET', path: `${orders}/cancelProductOrder/{id}`, function: 'order-cancel-get' },
    { method: 'POST', path: `${orders}/hub`, function: 'hub' },
    { method: 'DELETE', path: `${orders}/hub/{id}`, function: 'hub' },
    { method: 'GET', path: `${inventory}/product`, function: 'product-list' },
    { method: 'GET', path: `${inventory}/product/{id}`, function: 'product-get' },
    { method: 'POST', path: `${inventory}/hub`, function: 'hub' },
    { method: 'DELETE', path: `${inventory}/hub/{id}`, function: 'hub' },
    { method: 'GET', path: `${quotes}/quote`, function: 'tmf648-quote-list' },
    { method: 'POST', path: `${quotes}/quote`, function: 'tmf648-quote-create' },
    { method: 'GET', path: `${quotes}/quote/{id}`, function: 'tmf648-quote-get' },
    { method: 'PATCH', path: `${quotes}/quote/{id}`, function: 'tmf648-quote-patch' },
    { method: 'POST', path: `${quotes}/hub`, function: 'hub' },
    { method: 'DELETE', path: `${quotes}/hub/{id}`, function: 'hub' },
    { method: 'GET', path: '/ops/hub-deliveries', function: 'hub-deliveries' },
    { method: 'GET', path: '/ops/refused-notices', function: 'refused-notices' },
    { method: 'POST', path: '/ops/orders/{orderId}/tasks/{taskId}/repair', function: 'order-repair' },
    {
      method: 'POST',
      path: '/callbacks/orders/{orderId}/tasks/{taskId}',
      function: 'downstream-notice',
    },
    { method: 'GET', path: '/views/order-tracking/{orderId}', function: 'view-get' },
    { method: 'GET', path: '/views/approval-inbox', function: 'view-get' },
    { method: 'GET', path: '/views/expiring-quotes', function: 'view-get' },
    { method: 'GET', path: '/views/fallout', function: 'view-get' },
    { method: 'GET', path: '/views/quote-worklist', function: 'view-get' },
    { method: 'GET', path: '/views/stale-approvals', function: 'view-get' },
    { method: 'GET', path: '/views/order-sla-risk', function: 'view-get' },
    { method: 'GET', path: '/views/accounts/{accountId}/timeline', function: 'view-get' },
    { method: 'GET', path: '/ops/dashboard', function: 'ops-dashboard' },
    // The page carries no data; it asks for the operator's token and calls the ops routes with it.
    { method: 'GET', path: '/ops/console', function: 'ops-console', public: true },
    { method: 'GET', path: '/ops/console/{asset}', function: 'ops-console', public: true },
    { method: 'POST', path: '/ops/reconciliation-runs', function: 'reconciliation-start' },
    { method: 'GET', path: '/ops/reconciliation-runs/{runId}', function: 'reconciliation-get' },
    { method: 'GET', path: '/search/quotes', function: 'search' },
    { method: 'GET', path: '/search/orders', function: 'search' },
    { method: 'GET', path: '/reports/kpis', function: 'report-kpis' },
    { method: 'GET', path: '/audit/quotes/{quoteId}', function: 'audit' },
    { method: 'GET', path: '/audit/orders/{orderId}', function: 'audit' },
  ] satisfies Route[] as Route[],
};

/** Only outbox items, only when first written: the outbox is append-only. */
const outboxInserts = { eventName: ['INSERT'], dynamodb: { NewImage: { itemType: { S: ['outbox'] } } } };

export const streamConsumers: StreamConsumer[] = [
  {
    table: 'aggregates',
    function: 'outbox-publisher',
    batchSize: 25,
    maxRetries: 8,
    filter: outboxInserts,
    onFailure: 'outbox-parked',
  },
  {
    table: 'aggregates',
    function: 'projector',
    batchSize: 50,
    maxRetries: 8,
    filter: outboxInserts,
    onFailure: 'projection-parked',
    // Read models and search documents are written once per row and batch: a second of gathering
    // folds an order's consecutive events into one write (views state their freshness).
    maxBatchingWindowSeconds: 1,
  },
];

export const queues: Record<QueueName, QueueSpec> = {
  'outbox-parked': {
    description:
      'Outbox batches the publisher could not deliver after its retries, re-published when the bus is back',
    consumer: 'outbox-redrive',
    batchSize: 10,
    // AWS advises at least 6 × the consumer's timeout, so a slow batch is not received twice at once.
    visibilityTimeoutSeconds: 120,
    // About 100 minutes of attempts before a batch needs a human (reconciliation also restarts its orders).
    maxReceiveCount: 50,
  },
  'projection-parked': {
    description:
      'Outbox batches the projector could not write after its retries, projected again until they succeed',
    consumer: 'projection-redrive',
    batchSize: 10,
    visibilityTimeoutSeconds: 120,
    // As the outbox's: then reconciliation's projection check repairs what is still missing.
    maxReceiveCount: 50,
  },
};

export const eventRules: EventRule[] = [
  {
    name: 'fulfillment-triggers',
    description: 'A new order, a repair or a cancellation (re)starts the fulfillment workflow',
    pattern: {
      source: [eventSources.productOrder],
      'detail-type': ['ProductOrderCreateEvent', 'ProductOrderRepairEvent', 'CancelProductOrderCreateEvent'],
    },
    target: { function: 'fulfillment-starter' },
  },
  {
    name: 'fulfillment-notices',
    description:
      "A downstream's completion notice for accepted work wakes the order's workflow at once, not at its next timer",
    // Only a notice completes a task with evidence from a callback: the steps' own outcomes
    // (response, query, repair) come from a running workflow, which needs no wake-up.
    pattern: {
      source: [eventSources.productOrder],
      'detail-type': ['FulfillmentTaskStateChangeEvent'],
      detail: { resource: { state: ['DONE'], evidence: { source: ['callback'] } } },
    },
    target: { function: 'fulfillment-starter' },
  },
  {
    name: 'hub-notifications',
    description: 'Order, quote and installed-product events a channel may hear about → its hub subscribers',
    pattern: {
      source: [eventSources.productOrder, eventSources.quote, eventSources.productInventory],
      'detail-type': [
        'ProductOrderCreateEvent',
        'ProductOrderStateChangeEvent',
        'ProductOrderAttributeValueChangeEvent',
        'ProductOrderJeopardyEvent',
        'CancelProductOrderCreateEvent',
        'CancelProductOrderStateChangeEvent',
        'QuoteCreateEvent',
        'QuoteStateChangeEvent',
        'QuoteAttributeValueChangeEvent',
        'ProductCreateEvent',
        'ProductStateChangeEvent',
        'ProductAttributeValueChangeEvent',
      ],
    },
    target: { function: 'hub-dispatcher' },
  },
  {
    name: 'audit-evidence',
    description: 'Events that create evidence records → sealed write-once in the evidence store',
    pattern: {
      source: [eventSources.quote, eventSources.productOrder],
      'detail-type': [
        'QuoteAttributeValueChangeEvent',
        'QuoteApprovalRequestedEvent',
        'QuoteApprovalDecidedEvent',
        'QuoteAcceptedEvent',
        'ProductOrderCreateEvent',
        'ProductOrderRevisionEvent',
        'FulfillmentTaskRepairEvent',
      ],
    },
    target: { function: 'evidence-writer' },
  },
  {
    name: 'audit-task-evidence',
    description:
      "Task events that carry a downstream's evidence → that task's confirmation, sealed write-once",
    // Most task events carry none (dispatched, retried, waiting): they never reach the writer.
    // A task event is far below the bus's 256 KB, so it is never claim-checked without its evidence.
    pattern: {
      source: [eventSources.productOrder],
      'detail-type': ['FulfillmentTaskStateChangeEvent'],
      detail: { resource: { evidence: { source: [{ exists: true }] } } },
    },
    target: { function: 'evidence-writer' },
  },
];

/** The events that give reporting facts (shared/domain/reporting/facts-of-event.ts), and the refusals. */
export const factEventTypes: (EventType | 'CommandRefusedEvent')[] = [
  'QuoteCreateEvent',
  'QuoteStateChangeEvent',
  'QuoteAttributeValueChangeEvent',
  'QuoteApprovalRequestedEvent',
  'QuoteApprovalDecidedEvent',
  'QuoteApprovalInvalidatedEvent',
  'QuoteAcceptedEvent',
  'ProductOrderCreateEvent',
  'ProductOrderStateChangeEvent',
  'FulfillmentPlanCreateEvent',
  'FulfillmentTaskStateChangeEvent',
  'FulfillmentTaskRepairEvent',
  'CancelProductOrderCreateEvent',
  'CancelProductOrderStateChangeEvent',
  'CommandRefusedEvent',
];

export const deliveryStreams: Record<DeliveryStreamName, DeliveryStreamSpec> = {
  facts: {
    description: 'Quote and order events → reporting facts in the data lake, partitioned by table and date',
    pattern: {
      source: [eventSources.quote, eventSources.productOrder, eventSources.commands],
      'detail-type': [...factEventTypes],
    },
    processor: 'fact-mapper',
    prefix: 'facts/{table}/dt={dt}/',
    bufferSeconds: 60,
  },
};

/** The Glue database of the fact tables (shared/domain/reporting/fact-tables.ts). */
export const reporting = { database: 'cpq_oms_reporting' } as const;

/** Children first: a parent needs its children's ARNs. */
export const stateMachines: Record<StateMachineName, StateMachineSpec> = {
  'fulfillment-steps': {
    definitionFile: 'state-machines/fulfillment-steps.asl.json',
    type: 'EXPRESS',
    logLevel: 'ALL',
    taskFunctions: {
      NextStepFunctionArn: 'fulfillment-next-step',
      DispatchFunctionArn: 'fulfillment-dispatch',
      QueryFunctionArn: 'fulfillment-query',
      RecordFunctionArn: 'fulfillment-record',
    },
  },
  fulfillment: {
    definitionFile: 'state-machines/fulfillment.asl.json',
    type: 'STANDARD',
    logLevel: 'ERROR',
    // The hold when the child runs keep failing.
    taskFunctions: { NextStepFunctionArn: 'fulfillment-next-step' },
    childMachines: { FulfillmentStepsStateMachineArn: 'fulfillment-steps' },
  },
  reconciliation: {
    definitionFile: 'state-machines/reconciliation.asl.json',
    type: 'STANDARD',
    logLevel: 'ERROR',
    taskFunctions: {
      PlanFunctionArn: 'reconciliation-plan',
      SegmentFunctionArn: 'reconciliation-segment',
      FinishFunctionArn: 'reconciliation-finish',
    },
  },
};

export const schedules: Schedule[] = [
  {
    name: 'reconciliation',
    description: 'Finds drift between quotes, orders, downstream systems, billing and read models',
    expression: 'rate(15 minutes)',
    localIntervalMs: 60_000,
    target: { function: 'reconciliation-run' },
  },
  {
    name: 'signal-sampler',
    description:
      'Emits the catalog gauges every minute (fallout, unknown outcomes, stale quotes, approvals over SLA, drift)',
    expression: 'rate(1 minute)',
    localIntervalMs: 5_000,
    target: { function: 'signal-sampler' },
  },
  {
    name: 'jeopardy',
    description: 'Orders at risk of or past their expected completion get a jeopardy alert',
    expression: 'rate(5 minutes)',
    localIntervalMs: 30_000,
    target: { function: 'jeopardy-sweep' },
  },
];

/**
 * Lambda's asynchronous invocation, which EventBridge rules and Scheduler use: an event whose
 * invocation fails is run twice more (after a minute, then two), then sent to the function's
 * on-failure destination; without one Lambda discards it.
 */
export const asyncInvocation = {
  retryAttempts: 2,
  retryDelaysSeconds: [60, 120],
  maxEventAgeSeconds: 6 * 3600,
};

/** Every function invoked asynchronously: the targets of the event rules and schedules. */
export const asyncFunctions: FunctionName[] = [
  ...new Set([...eventRules.map((r) => r.target.function), ...schedules.map((s) => s.target.function)]),
];

/** The SQS queue a function's failed asynchronous invocations are sent to (its on-failure destination). */
export const onFailureQueueOf = (name: FunctionName): string => `${name}-async-failures`;

/** The usage identifier key (API key value) of a channel's usage plan: not a secret, only the authorizer hands it out. */
export const usageKeyOf = (channelId: string, namespace = 'cpq-oms'): string =>
  `${namespace}-usage-plan-${channelId}`;

/**
 * Partition-key prefixes of a function's own idempotency records: Powertools keys them
 * `<operation>#<hash>` (shared/plumbing/http/idempotency.ts), and IAM scopes each function to them.
 */
export const idempotencyKeyPrefixes = (name: FunctionName): string[] =>
  ((functions[name] as FunctionSpec).idempotencyOperations ?? [name]).map((operation) => `${operation}#`);

export const topology = {
  functions,
  tables,
  api,
  streamConsumers,
  queues,
  eventRules,
  deliveryStreams,
  stateMachines,
  schedules,
};
export type Topology = typeof topology;

/** Environment variable through which a function learns each resource's physical name. */
export const resourceEnv = {
  tables: {
    aggregates: 'AGGREGATES_TABLE',
    idempotency: 'IDEMPOTENCY_TABLE',
    readModels: 'READ_MODELS_TABLE',
    search: 'SEARCH_TABLE',
  },
  eventBus: 'EVENT_BUS_NAME',
  stateMachines: {
    fulfillment: 'FULFILLMENT_STATE_MACHINE_ARN',
    'fulfillment-steps': 'FULFILLMENT_STEPS_STATE_MACHINE_ARN',
    reconciliation: 'RECONCILIATION_STATE_MACHINE_ARN',
  },
  downstream: { provisioning: 'PROVISIONING_URL', billing: 'BILLING_URL' },
  /** Per downstream: how long after a request left us it may still be recorded there. */
  downstreamInFlightWindowMs: {
    provisioning: 'PROVISIONING_IN_FLIGHT_WINDOW_MS',
    billing: 'BILLING_IN_FLIGHT_WINDOW_MS',
  },
  /** Base of the hrefs in API responses: configuration, never a request header. */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** Key of the list cursors (AES-GCM), given to the functions that `sealsCursors`. */
  cursorKey: 'CURSOR_KEY',
  /** Namespace of the usage identifier keys (`usageKeyOf`): API key values are unique per account and region. */
  usageKeyNamespace: 'USAGE_KEY_NAMESPACE',
  facts: {
    database: 'FACTS_DATABASE',
    workgroup: 'FACTS_WORKGROUP',
    /** Local stack only: module of the DuckDB engine and the folder the facts land in. */
    localEngine: 'FACTS_LOCAL_ENGINE',
    localDir: 'FACTS_LOCAL_DIR',
  },
  evidence: {
    bucket: 'EVIDENCE_BUCKET',
    /** Local stack only: module of the file evidence store and its folder. */
    localStore: 'EVIDENCE_LOCAL_STORE',
    localDir: 'EVIDENCE_LOCAL_DIR',
  },
} as const satisfies {
  tables: Record<TableName, string>;
  eventBus: string;
  stateMachines: Record<StateMachineName, string>;
  downstream: Record<string, string>;
  downstreamInFlightWindowMs: Record<string, string>;
  publicBaseUrl: string;
  cursorKey: string;
  usageKeyNamespace: string;
  facts: Record<string, string>;
  evidence: Record<string, string>;
};

/**
 * Items a new table starts with, for the local stack and a deploy alike: a new search table starts
 * on the current index schema (a table without a pointer predates schemas and is read in the layout
 * of schema 1). Written only where the partition key is free, so a table keeps what it holds.
 */
export const initialItems = (spec: TableSpec): Record<string, unknown>[] =>
  spec === tables.search
    ? [{ ...searchPointerKey, ...freshSearchPointer(searchIndexSpec.schemaVersion) }]
    : [];
