import type { Visibility } from '#domain/access/visibility';
import type { DomainEvent } from '#domain/events';
import type { CommittedLine } from '#domain/order/committed-line';
import type {
  FulfillmentPlan,
  FulfillmentTask,
  OrderItemAction,
  OwnerTeam,
} from '#domain/order/fulfillment-task';
import type { JeopardyAlert } from '#domain/order/jeopardy-alert';
import type { Note, PartyRef } from '#domain/tmf/tmf-attributes';

export type { OrderItemAction, OwnerTeam };

/** TMF622 ProductOrderStateType values this service uses. */
export type ProductOrderState =
  | 'acknowledged'
  | 'inProgress'
  | 'completed'
  | 'failed'
  | 'partial'
  | 'held'
  | 'pendingCancellation'
  | 'cancelled'
  | 'rejected';

/** An order item holds the committed line of the quote line it orders, unchanged. */
export type ProductOrderItem = CommittedLine & {
  id: string;
  action: OrderItemAction;
  /** Order date plus the offering's lead time (catalog data), stamped at creation. */
  expectedCompletionDate?: string;
};

export const falloutReasonCodes = [
  'DOWNSTREAM_REJECTED',
  'RETRY_BUDGET_EXHAUSTED',
  'UNKNOWN_OUTCOME_UNRESOLVED',
  'BILLING_REJECTED',
  'DECOMPOSITION_FAILED',
  'COMPENSATION_FAILED',
  /** Accepted long-running work still reported in progress at its hard limit. */
  'DOWNSTREAM_OVERDUE',
  /** Accepted long-running work with no progress at its hard limit. */
  'DOWNSTREAM_STALLED',
] as const;

export type FalloutReasonCode = (typeof falloutReasonCodes)[number];

export const isFalloutReasonCode = (value: unknown): value is FalloutReasonCode =>
  falloutReasonCodes.includes(value as FalloutReasonCode);

/** The task id a fallout carries when no task exists yet: decomposition itself failed. */
export const DECOMPOSITION_STEP = 'DECOMPOSITION';

export type Fallout = {
  reasonCode: FalloutReasonCode;
  ownerTeam: OwnerTeam;
  nextAction: string;
  since: string;
  taskId: string;
  /** Where a repair releases the order to. */
  heldFrom: 'acknowledged' | 'inProgress' | 'pendingCancellation';
  detail?: Record<string, unknown>;
};

export type ResolvedFallout = Fallout & { resolvedAt: string; resolution: string };

export type CancellationState = 'acknowledged' | 'inProgress' | 'done';

/** TMF622 CancelProductOrder as the domain keeps it. */
export type CancelProductOrder = {
  id: string;
  orderId: string;
  channelId: string;
  cancellationReason: string;
  /** Who may read the reason: a repair's reason code is internal (`visibilityOfWriter`). */
  reasonVisibility?: Visibility;
  state: CancellationState;
  requestedCancellationDate: string;
  requestedBy: string;
  effectiveCancellationDate?: string;
};

export type RepairAction = 'RETRY' | 'MARK_COMPLETE' | 'CANCEL';

export type RepairEvidence = {
  /** Identity of the downstream record that proves the outcome. */
  downstreamRef?: string;
  note?: string;
  [key: string]: unknown;
};

export type RepairSnapshot = { orderState: ProductOrderState; taskState: string };

export type RepairAuditRecord = {
  id: string;
  actor: { principalId: string; role: string };
  action: RepairAction;
  taskId: string;
  reasonCode: string;
  evidence: RepairEvidence | null;
  at: string;
  correlationId: string;
  before: RepairSnapshot;
  after: RepairSnapshot;
};

export type ProductOrder = {
  id: string;
  /** Owned by the repository; domain commands leave it unchanged. */
  version: number;
  state: ProductOrderState;
  channelId: string;
  accountId: string;
  quoteId: string;
  quoteAcceptance: { snapshotHash: string; acceptedAt: string };
  billingAccountId: string;
  externalId?: string;
  requestedCompletionDate?: string;
  requestedStartDate?: string;
  description?: string;
  priority?: string;
  category?: string;
  /** TMF622 `notificationContact`: whom the channel wants told about the order. */
  notificationContact?: string;
  /** TMF622 `relatedParty`, as the channel sent them. */
  relatedParty?: PartyRef[];
  /** Notes channels added (TMF622 `note`), append-only. */
  notes?: OrderNote[];
  currency: string;
  catalogVersion: string;
  priceBookVersion: string;
  orderDate: string;
  updatedAt: string;
  completionDate?: string;
  /**
   * A large order completing: how many of its items (in order) have their installed products
   * written already, in transactions before the one that completes it (DynamoDB's 100 actions).
   */
  installedItems?: number;
  createdBy: string;
  items: ProductOrderItem[];
  /** Immutable execution blueprint, stored once at fulfillment start. */
  plan?: FulfillmentPlan;
  /** Planned tasks (and compensations) with their execution state. */
  tasks: FulfillmentTask[];
  fallout?: Fallout;
  /** Original failure states are kept, not overwritten by repair. */
  falloutHistory: ResolvedFallout[];
  cancellation?: CancelProductOrder;
  repairs: RepairAuditRecord[];
  /** Raised by the jeopardy sweep, append-only, one per level reached. */
  jeopardyAlerts?: JeopardyAlert[];
};

export type { PartyRef };
/** `visibility` follows the writer (`visibilityOfWriter`); absent on notes written before it was kept. */
export type OrderNote = Note;

export type OrderCommandResult = { order: ProductOrder; events: DomainEvent[] };
