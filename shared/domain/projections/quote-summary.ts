import { eventTypesOf, type QuoteEvent } from '#domain/events';
import {
  cursorOf,
  type Freshness,
  freshnessAfter,
  isAfter,
  type SourceEvent,
  type TypedSourceEvent,
  typedEvent,
  withApplied,
} from './source-event.ts';

export type ApprovalRequestView = {
  requestId: string;
  reasonCodes: string[];
  policyVersion?: string;
  submittedAt?: string;
  dueAt?: string;
  maxDiscountPercent?: number;
  requestedBy?: string;
  totalContractValueMinor?: number;
};

export type ApprovalStatus = {
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'INVALIDATED';
  requestId?: string;
  at: string;
  cause?: string;
  cursor: string;
};

/**
 * One row per quote, the source of the approval inbox and the expiring-quotes views. Built
 * from quote events only: every quote event carries the compact quote (state, channel,
 * account, validFor), approval events carry the request and decision fields the inbox needs.
 */
export type QuoteSummaryRow = {
  quoteId: string;
  channelId: string;
  accountId: string;
  currency?: string;
  externalId?: string;
  customer?: { name?: string; segment?: string; region?: string };
  /** The seller who owns the quote. */
  owner?: string;
  /** The price book of the quote's current price. */
  priceBookVersion?: string;
  state: string;
  validFor: { startDateTime?: string; endDateTime?: string };
  headerCursor: string;
  /** Requests are immutable once made: a union, independent of order. */
  requests: Record<string, ApprovalRequestView>;
  approval?: ApprovalStatus;
  applied: string[];
  freshness: Freshness;
};

const quoteEventTypes: readonly string[] = eventTypesOf('quote');

const approvalRank: Record<string, number> = {
  QuoteApprovalRequestedEvent: 1,
  QuoteApprovalDecidedEvent: 2,
  QuoteApprovalInvalidatedEvent: 3,
};

export const isQuoteEvent = (event: SourceEvent): boolean =>
  event.aggregateType === 'QUOTE' && quoteEventTypes.includes(event.eventType);

type QuoteSourceEvent = TypedSourceEvent & Pick<QuoteEvent, 'eventType' | 'resource' | 'domain'>;

const approvalOf = (event: QuoteSourceEvent, cursor: string): ApprovalStatus | undefined => {
  switch (event.eventType) {
    case 'QuoteApprovalRequestedEvent':
      return {
        status: 'PENDING',
        requestId: event.resource.approvalRequest?.id,
        at: event.eventTime,
        cursor,
      };
    case 'QuoteApprovalDecidedEvent': {
      const d = event.resource.approvalDecision;
      return {
        status: d?.decision === 'REJECT' ? 'REJECTED' : 'APPROVED',
        requestId: d?.requestId,
        at: d?.at ?? event.eventTime,
        cursor,
      };
    }
    case 'QuoteApprovalInvalidatedEvent':
      return {
        status: 'INVALIDATED',
        requestId: event.resource.requestId,
        at: event.eventTime,
        cause: event.resource.cause,
        cursor,
      };
    default:
      return undefined;
  }
};

const customerOf = (c: QuoteEvent['resource']['customer']) =>
  definedOnly({ name: c.name, segment: c.segment, region: c.region });

const priceBookOf = (priceBookVersion: string | undefined) => (priceBookVersion ? { priceBookVersion } : {});

/** Absent, not undefined: rows are compared by checksum and stored as JSON. */
const definedOnly = <T extends Record<string, unknown>>(fields: T): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;

const approvalRequestOf = (event: QuoteSourceEvent) =>
  event.eventType === 'QuoteApprovalRequestedEvent' ? event.resource.approvalRequest : undefined;

/**
 * Idempotent (an applied event id changes nothing) and regression-proof (header and approval
 * status only move to a later cursor). Returns the same object when nothing changed.
 */
export const applyQuoteEvent = (
  row: QuoteSummaryRow | undefined,
  source: SourceEvent,
  now: string,
): QuoteSummaryRow | undefined => {
  const event = isQuoteEvent(source) ? (typedEvent(source) as QuoteSourceEvent | undefined) : undefined;
  if (!event) return row;
  if (row?.applied.includes(event.eventId)) return row;
  const r = event.resource;
  const headerCursor = cursorOf(event);
  const takeHeader = isAfter(headerCursor, row?.headerCursor);
  const validFor = r.validFor;
  const base: QuoteSummaryRow = row ?? {
    quoteId: event.aggregateId,
    channelId: r.channelId ?? '',
    accountId: r.accountId ?? '',
    state: r.state ?? 'inProgress',
    validFor: {},
    headerCursor: '',
    requests: {},
    applied: [],
    freshness: freshnessAfter(undefined, source, now),
  };
  const next: QuoteSummaryRow = {
    ...base,
    ...(takeHeader
      ? {
          channelId: r.channelId ?? base.channelId,
          accountId: r.accountId ?? base.accountId,
          currency: r.currency ?? base.currency,
          ...(r.externalId ? { externalId: r.externalId } : {}),
          ...(r.customer ? { customer: customerOf(r.customer) } : {}),
          ...(r.owner ? { owner: r.owner } : {}),
          ...priceBookOf(r.priceBookVersion),
          state: r.state ?? base.state,
          validFor: {
            startDateTime: validFor?.startDateTime,
            endDateTime: validFor?.endDateTime,
          },
          headerCursor,
        }
      : {}),
    applied: withApplied(base.applied, event.eventId),
    freshness: freshnessAfter(row?.freshness, source, now),
  };
  // The header is the latest event's quote: a price dropped by a change of lines is gone.
  if (takeHeader && !r.priceBookVersion) delete next.priceBookVersion;
  const request = approvalRequestOf(event);
  const requestId = request?.id;
  if (request && requestId) {
    next.requests = {
      ...base.requests,
      [requestId]: {
        requestId,
        reasonCodes: Array.isArray(request.reasonCodes) ? request.reasonCodes : [],
        policyVersion: request.policyVersion,
        submittedAt: request.submittedAt,
        dueAt: request.dueAt,
        ...definedOnly({
          maxDiscountPercent: request.maxDiscountPercent,
          requestedBy: request.requestedBy,
          totalContractValueMinor: request.totalContractValueMinor,
        }),
      },
    };
  }
  const rank = approvalRank[event.eventType];
  if (rank !== undefined) {
    const cursor = cursorOf(event, rank);
    if (isAfter(cursor, base.approval?.cursor)) next.approval = approvalOf(event, cursor);
  }
  return next;
};

/** The request awaiting a decision, if the quote is pending one. */
export const pendingApprovalOf = (row: QuoteSummaryRow): ApprovalRequestView | undefined => {
  if (row.state !== 'pending' || row.approval?.status !== 'PENDING' || !row.approval.requestId)
    return undefined;
  return row.requests[row.approval.requestId];
};

export const isExpiringCandidate = (row: QuoteSummaryRow): boolean =>
  (row.state === 'approved' || row.state === 'pending') && !!row.validFor.endDateTime;

const freshnessOut = (row: QuoteSummaryRow) => ({
  sourceVersion: row.freshness.sourceVersion,
  sourceEventId: row.freshness.sourceEventId,
  sourceEventTime: row.freshness.sourceEventTime,
  projectedAt: row.freshness.projectedAt,
  lagMs: row.freshness.lagMs,
});

/**
 * Who must act (requirements 003 §5.1 `currentApprover`): no person is assigned, the request is
 * routed to the approver role, and only an approver whose limit reaches the request's maximum
 * discount may decide (`assertApprovalAuthority`).
 */
const approverOf = (request: ApprovalRequestView) => ({
  role: 'approver' as const,
  minimumApprovalLimitPercent: request.maxDiscountPercent ?? null,
});

/** A row of `GET /views/approval-inbox` (requirements 003 §5.1). */
export const approvalInboxView = (row: QuoteSummaryRow) => {
  const pending = pendingApprovalOf(row)!;
  return {
    approvalRequestId: pending.requestId,
    quoteId: row.quoteId,
    // Quotes have no number apart from their id (the search index uses the same).
    quoteNumber: row.quoteId,
    quoteRevision: row.freshness.sourceVersion,
    accountId: row.accountId,
    channelId: row.channelId,
    customerName: row.customer?.name ?? null,
    accountSegment: row.customer?.segment ?? null,
    region: row.customer?.region ?? null,
    totalContractValueMinor: pending.totalContractValueMinor ?? null,
    currency: row.currency ?? null,
    maxDiscountPercent: pending.maxDiscountPercent ?? null,
    requestedBy: pending.requestedBy ?? null,
    currentApprover: approverOf(pending),
    reasonCodes: pending.reasonCodes,
    policyVersion: pending.policyVersion,
    submittedAt: pending.submittedAt,
    dueAt: pending.dueAt,
    status: 'PENDING' as const,
    freshness: freshnessOut(row),
  };
};

export type ConversionBlocker = 'EXPIRED' | 'NOT_APPROVED' | 'APPROVAL_PENDING' | 'PRICE_STALE';

/**
 * Whether the quote can be accepted and ordered now, as far as the view knows (the command
 * decides): approved, within validity and priced on the current price book.
 */
export const conversionOf = (row: QuoteSummaryRow, now: string, stalePrice: boolean | null) => {
  const blockers: ConversionBlocker[] = [];
  if (Date.parse(row.validFor.endDateTime ?? now) <= Date.parse(now)) blockers.push('EXPIRED');
  if (row.state === 'pending') blockers.push('APPROVAL_PENDING');
  else if (row.state !== 'approved') blockers.push('NOT_APPROVED');
  if (stalePrice === true) blockers.push('PRICE_STALE');
  return { eligible: blockers.length === 0, blockers };
};

/**
 * A row of `GET /views/expiring-quotes`: owner, revision, how old the approval is, whether the
 * price is on an older price book than `currentPriceBook` (null: unknown) and conversion eligibility.
 */
export const expiringQuoteView = (row: QuoteSummaryRow, now: string, currentPriceBook?: string) => {
  const stalePrice =
    currentPriceBook && row.priceBookVersion ? row.priceBookVersion !== currentPriceBook : null;
  const approval = row.approval;
  return {
    quoteId: row.quoteId,
    accountId: row.accountId,
    channelId: row.channelId,
    owner: row.owner ?? null,
    revision: row.freshness.sourceVersion,
    state: row.state,
    validFor: row.validFor,
    expiresInMs: Date.parse(row.validFor.endDateTime ?? now) - Date.parse(now),
    approval: approval
      ? {
          status: approval.status,
          at: approval.at,
          ageMs: Math.max(0, Date.parse(now) - Date.parse(approval.at)),
        }
      : null,
    priceBookVersion: row.priceBookVersion ?? null,
    stalePrice,
    conversion: conversionOf(row, now, stalePrice),
    freshness: freshnessOut(row),
  };
};
