import type { Actor, Role } from '#domain/actor';
import type { DomainEvent } from '#domain/events';
import type { ChangeRequest } from '#domain/inventory/change-request';
import type { ApprovalReasonCode } from '#domain/quote/approval-policy';
import type { ConfiguredLine } from '#domain/quote/configuration';
import type { LineInput as LineBody } from '#domain/quote/line-input';
import type { PriceSnapshot } from '#domain/quote/pricing';
import type { Note, PartyRef } from '#domain/tmf/tmf-attributes';

/** TMF648 quote states. Expiry and staleness are fields and errors, never states. */
export type QuoteState = 'inProgress' | 'pending' | 'approved' | 'accepted' | 'rejected' | 'cancelled';
export type PricingStatus = 'NOT_PRICED' | 'PRICED' | 'STALE' | 'FAILED';

export type Customer = { accountId: string; name: string; segment?: string; region?: string };

/** A line to configure: as a client sent it, with the installed product it changes once resolved. */
export type LineInput = LineBody & { change?: ChangeRequest };

export type CreateQuoteInput = {
  customer: Customer;
  currency: string;
  lines: LineInput[];
  validFor?: { endDateTime: string };
  externalId?: string;
  /** TMF648 attributes the quote keeps as the channel sent them. */
  attributes?: QuoteAttributes;
};

/** TMF648 attributes of a quote that no rule reads: kept, shown, never priced. */
export type QuoteAttributes = {
  description?: string;
  requestedQuoteCompletionDate?: string;
  expectedFulfillmentStartDate?: string;
  /** Related parties other than the customer. */
  relatedParties?: PartyRef[];
  notes?: Note[];
};

export type QuoteLine = ConfiguredLine;

/** Who did something, without their authority settings. */
export type ActorRef = { principalId: string; role: Role; channelId: string };

export type ApprovalRequest = {
  id: string;
  reasonCodes: ApprovalReasonCode[];
  lineIds: string[];
  maxDiscountPercent: number;
  policyVersion: string;
  fingerprint: string;
  submittedAt: string;
  dueAt: string;
  requestedBy: ActorRef;
};

/** Immutable audit record of one approver decision. */
export type ApprovalDecision = {
  id: string;
  requestId: string;
  decision: 'APPROVE' | 'REJECT';
  actor: ActorRef;
  at: string;
  fingerprint: string;
  policyVersion: string;
  comment?: string;
};

/** The approval the quote currently holds, valid only for `fingerprint`. */
export type ApprovalGrant = {
  basis: 'AUTO' | 'DECISION';
  fingerprint: string;
  policyVersion: string;
  grantedAt: string;
  requestId?: string;
  decisionId?: string;
};

export type ApprovalInvalidation = {
  at: string;
  cause: 'LINES_REPLACED' | 'REPRICED';
  invalidated: 'GRANT' | 'OPEN_REQUEST';
  fingerprint: string;
  requestId?: string;
};

export type QuoteApproval = {
  requests: ApprovalRequest[];
  decisions: ApprovalDecision[];
  invalidations: ApprovalInvalidation[];
  openRequestId?: string;
  grant?: ApprovalGrant;
};

export type AcceptanceEvidence = {
  id: string;
  /** sha256 of the canonical JSON of the accepted price snapshot. */
  snapshotHash: string;
  inputHash: string;
  acceptedBy: ActorRef;
  acceptedAt: string;
  catalogVersion: string;
  priceBookVersion: string;
  policyVersion: string;
  approvalFingerprint: string;
};

export type Quote = {
  id: string;
  /** Owned by the repository; commands leave it unchanged. */
  version: number;
  externalId?: string;
  state: QuoteState;
  customer: Customer;
  currency: string;
  /** The owner channel: partners only see their own. */
  channelId: string;
  createdBy: ActorRef;
  createdAt: string;
  updatedAt: string;
  validFor: { startDateTime: string; endDateTime: string };
  lines: QuoteLine[];
  priceSnapshot?: PriceSnapshot;
  /** Outside the snapshot so the snapshot stays a pure function of its inputs. */
  pricedAt?: string;
  approval: QuoteApproval;
  acceptance?: AcceptanceEvidence;
} & QuoteAttributes;

export type QuoteCommandResult = { quote: Quote; events: DomainEvent[] };
/** Commands that can invalidate an approval say so, for the approval-invalidation metric. */
export type QuoteChangeResult = QuoteCommandResult & { approvalInvalidated: boolean };

export const actorRef = ({ principalId, role, channelId }: Actor): ActorRef => ({
  principalId,
  role,
  channelId,
});
