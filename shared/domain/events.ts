/**
 * The domain events: the contract between the aggregates that write them (to the outbox, in the
 * aggregate's transaction) and everything that consumes them (rules, projections, facts, hub,
 * audit). Payloads are declared here, apart from the aggregates' own types, because they are
 * published: an aggregate's internals may change, an event's payload only by a contract change.
 * No secrets, no cost or margin: events reach channels.
 */

// ---- quote ----------------------------------------------------------------------------------

/** The compact quote every quote event carries: references for search, no prices. */
export type CompactQuote = {
  id: string;
  state: string;
  channelId: string;
  accountId: string;
  customer: { name: string; region?: string; segment?: string };
  products: { lineId: string; offeringId: string; productFamily?: string; quantity: number }[];
  createdAt: string;
  currency: string;
  externalId?: string;
  validFor: { startDateTime: string; endDateTime: string };
  /** The seller who owns the quote (its creator's principal id): a seller's own worklist. */
  owner?: string;
  /** The price book the current price was computed on: a reference, not a price (stale-price flag). */
  priceBookVersion?: string;
};

/** The priced lines in minor units, for reporting. */
export type QuotePrice = {
  inputHash: string;
  catalogVersion: string;
  priceBookVersion: string;
  policyVersion: string;
  netOneTime: number;
  netRecurring: number;
  lines: {
    lineId: string;
    offeringId: string;
    listOneTime: number;
    listRecurring: number;
    discountPercent: number;
    discountOneTime: number;
    discountRecurring: number;
    netOneTime: number;
    netRecurring: number;
  }[];
};

export type QuoteEventPayloads = {
  QuoteCreateEvent: CompactQuote & { lineCount: number };
  QuoteStateChangeEvent: CompactQuote & { previousState: string };
  QuoteAttributeValueChangeEvent: CompactQuote & {
    changedAttributes: string[];
    lineCount: number;
    price: QuotePrice | null;
  };
  QuoteApprovalRequestedEvent: CompactQuote & {
    approvalRequest: {
      id: string;
      reasonCodes: string[];
      policyVersion: string;
      fingerprint: string;
      submittedAt: string;
      dueAt: string;
      /** The highest line discount the request covers: what the approver's limit must reach. */
      maxDiscountPercent?: number;
      /** Principal id of the seller who submitted. */
      requestedBy?: string;
      /** Net one-time plus net recurring over each line's term, minor units (deal size, not a price line). */
      totalContractValueMinor?: number;
    };
  };
  QuoteApprovalDecidedEvent: CompactQuote & {
    approvalDecision: {
      id: string;
      requestId: string;
      decision: 'APPROVE' | 'REJECT';
      decidedBy: string;
      at: string;
      fingerprint: string;
      policyVersion: string;
    };
  };
  QuoteApprovalInvalidatedEvent: CompactQuote & { cause: string; requestId?: string };
  QuoteAcceptedEvent: CompactQuote & {
    acceptance: {
      id: string;
      snapshotHash: string;
      acceptedAt: string;
      catalogVersion: string;
      priceBookVersion: string;
      policyVersion: string;
      approvalFingerprint?: string;
    };
    approvalGrant: { basis: string; grantedAt: string } | null;
    price: QuotePrice | null;
  };
};

// ---- product order --------------------------------------------------------------------------

export type OrderHeader = {
  id: string;
  state: string;
  channelId: string;
  accountId: string;
  quoteId: string;
};

export type FalloutPayload = {
  reasonCode: string;
  ownerTeam: string;
  nextAction: string;
  since: string;
  taskId: string;
  [key: string]: unknown;
};

export type TaskPayload = {
  orderId: string;
  channelId: string;
  /** The order's account: the task shows on the account's timeline. */
  accountId?: string;
  taskId: string;
  orderItemId: string;
  productFamily?: string;
  type: string;
  action: string;
  downstream: string;
  ruleVersion: string;
  correlationId: string;
  state: string;
  previousState: string | null;
  attempts: number;
  lastErrorCode?: string;
  ownerTeam: string;
  compensationOf?: string;
  evidence?: { downstreamRef: string; [key: string]: unknown };
  dispatchedAt?: string;
  completedAt?: string;
  unknownSince?: string;
  queries: number;
  /** Long-running work the downstream accepted: its reference and timers, and the last word heard. */
  wait?: {
    downstreamRef: string;
    acceptedAt: string;
    expectedBy: string;
    lastHeardAt: string;
    jeopardy?: string;
  };
  progress?: { count: number; lastAt: string; message?: string };
};

export type CancellationPayload = {
  id: string;
  orderId: string;
  channelId: string;
  cancellationReason: string;
  state: string;
  requestedCancellationDate: string;
  requestedBy: string;
  effectiveCancellationDate?: string;
};

export type ProductOrderEventPayloads = {
  ProductOrderCreateEvent: OrderHeader & {
    billingAccountId: string;
    externalId?: string;
    orderDate: string;
    currency: string;
    /** Display fields of the tracking view (requirements 003 §23.2). */
    customerName?: string;
    quoteRevision?: number;
    requestedCompletionDate?: string;
    productOrderItem: {
      id: string;
      quoteItemId: string;
      offeringId: string;
      productFamily?: string;
      quantity: number;
      action?: string;
      productName?: string;
      /** What the catalog's lead time promises for the item: the order's SLA ranks by it. */
      expectedCompletionDate?: string;
    }[];
  };
  ProductOrderAttributeValueChangeEvent: OrderHeader & { changedAttributes: string[]; at: string };
  /** A revision of the order in flight: its evidence and the items it now holds. */
  ProductOrderRevisionEvent: OrderHeader & {
    revision: number;
    previousQuoteId: string;
    at: string;
    reason?: string;
    addedItemIds: string[];
    removedItemIds: string[];
    cancelledTaskIds: string[];
    compensationTaskIds: string[];
    productOrderItem: {
      id: string;
      quoteItemId: string;
      offeringId: string;
      productFamily?: string;
      quantity: number;
    }[];
  };
  ProductOrderStateChangeEvent: OrderHeader & {
    previousState: string;
    at: string;
    fallout?: FalloutPayload;
    completionDate?: string;
  };
  ProductOrderJeopardyEvent: OrderHeader & {
    jeopardyAlert: { id: string; jeopardyType: string; alertDate: string; owner: string; nextAction: string };
  };
  /** A repair resumes the fulfillment workflow. */
  ProductOrderRepairEvent: {
    id: string;
    orderId: string;
    repairId: string;
    taskId: string;
    action: string;
    reasonCode: string;
  };
  FulfillmentPlanCreateEvent: {
    orderId: string;
    channelId: string;
    ruleVersion?: string;
    taskIds: readonly string[];
    /** Items whose tasks wait for another item's (cross-item dependencies only; usually empty). */
    itemDependencies?: Record<string, string[]>;
  };
  FulfillmentTaskStateChangeEvent: TaskPayload;
  /** The immutable audit record of an operator's repair. */
  FulfillmentTaskRepairEvent: {
    orderId: string;
    channelId: string;
    accountId?: string;
    id: string;
    actor: { principalId: string; role: string };
    action: string;
    taskId: string;
    reasonCode: string;
    evidence: Record<string, unknown> | null;
    at: string;
    correlationId: string;
    before: { orderState: string; taskState: string };
    after: { orderState: string; taskState: string };
  };
  CancelProductOrderCreateEvent: CancellationPayload;
  CancelProductOrderStateChangeEvent: CancellationPayload;
};

// ---- product inventory (TMF637) ---------------------------------------------------------------

export type ProductHeader = {
  id: string;
  status: string;
  channelId: string;
  accountId: string;
  offeringId: string;
  orderId: string;
  orderItemId: string;
  at: string;
};

export type ProductInventoryEventPayloads = {
  ProductCreateEvent: ProductHeader & { quoteId: string };
  ProductStateChangeEvent: ProductHeader & { previousStatus: string };
  ProductAttributeValueChangeEvent: ProductHeader & { changedAttributes: string[] };
};

// ---- catalog --------------------------------------------------------------------------------

export type CatalogEventPayloads = {
  CatalogReleasePublishedEvent: {
    catalogVersion: string;
    priceBookVersion: string;
    effectiveFrom: string;
    previousPriceBookVersion: string;
  };
};

// ---- the union and the one list -------------------------------------------------------------

type Payloads = QuoteEventPayloads &
  ProductOrderEventPayloads &
  ProductInventoryEventPayloads &
  CatalogEventPayloads;
export type EventType = keyof Payloads;
export type EventDomain = 'quote' | 'productOrder' | 'productInventory' | 'catalog';

type EventsOf<D extends EventDomain, P> = {
  [K in keyof P]: { eventType: K; domain: D; resource: P[K] };
}[keyof P];

export type QuoteEvent = EventsOf<'quote', QuoteEventPayloads>;
export type ProductOrderEvent = EventsOf<'productOrder', ProductOrderEventPayloads>;
export type ProductInventoryEvent = EventsOf<'productInventory', ProductInventoryEventPayloads>;
export type CatalogEvent = EventsOf<'catalog', CatalogEventPayloads>;

/** A domain event as an aggregate emits it; the outbox stamps id, time, version and correlation. */
export type DomainEvent = QuoteEvent | ProductOrderEvent | ProductInventoryEvent | CatalogEvent;

/** The event `K`: narrow a `DomainEvent` to it with `event.eventType === K`. */
export type EventOf<K extends EventType> = Extract<DomainEvent, { eventType: K }>;

/** Every event type with the domain that writes it: the compiler holds it to the payloads, both ways. */
const domainOfEvent = {
  QuoteCreateEvent: 'quote',
  QuoteStateChangeEvent: 'quote',
  QuoteAttributeValueChangeEvent: 'quote',
  QuoteApprovalRequestedEvent: 'quote',
  QuoteApprovalDecidedEvent: 'quote',
  QuoteApprovalInvalidatedEvent: 'quote',
  QuoteAcceptedEvent: 'quote',
  ProductOrderCreateEvent: 'productOrder',
  ProductOrderAttributeValueChangeEvent: 'productOrder',
  ProductOrderRevisionEvent: 'productOrder',
  ProductOrderStateChangeEvent: 'productOrder',
  ProductOrderJeopardyEvent: 'productOrder',
  ProductOrderRepairEvent: 'productOrder',
  FulfillmentPlanCreateEvent: 'productOrder',
  FulfillmentTaskStateChangeEvent: 'productOrder',
  FulfillmentTaskRepairEvent: 'productOrder',
  CancelProductOrderCreateEvent: 'productOrder',
  CancelProductOrderStateChangeEvent: 'productOrder',
  ProductCreateEvent: 'productInventory',
  ProductStateChangeEvent: 'productInventory',
  ProductAttributeValueChangeEvent: 'productInventory',
  CatalogReleasePublishedEvent: 'catalog',
} as const satisfies { [K in keyof Payloads]: EventOf<K>['domain'] };

/** The one list of event types: rules, delivery streams, publisher, projector and facts name these. */
export const eventTypes = Object.keys(domainOfEvent) as EventType[];

export const isEventType = (name: unknown): name is EventType =>
  typeof name === 'string' && Object.hasOwn(domainOfEvent, name);

/** The event types one domain writes. */
export const eventTypesOf = (domain: EventDomain): EventType[] =>
  eventTypes.filter((name) => domainOfEvent[name] === domain);
