import {
  cursorOf,
  type Freshness,
  freshnessAfter,
  isAfter,
  obj,
  type SourceEvent,
  str,
  withApplied,
} from './source-event.ts';

export type ApprovalRequestView = {
  requestId: string;
  reasonCodes: string[];
  policyVersion?: string;
  submittedAt?: string;
  dueAt?: string;
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
  state: string;
  validFor: { startDateTime?: string; endDateTime?: string };
  headerCursor: string;
  /** Requests are immutable once made: a union, independent of order. */
  requests: Record<string, ApprovalRequestView>;
  approval?: ApprovalStatus;
  applied: string[];
  freshness: Freshness;
};

export const quoteEventTypes = [
  'QuoteCreateEvent',
  'QuoteStateChangeEvent',
  'QuoteAttributeValueChangeEvent',
  'QuoteApprovalRequestedEvent',
  'QuoteApprovalDecidedEvent',
  'QuoteApprovalInvalidatedEvent',
  'QuoteAcceptedEvent',
] as const;

const approvalRank: Record<string, number> = {
  QuoteApprovalRequestedEvent: 1,
  QuoteApprovalDecidedEvent: 2,
  QuoteApprovalInvalidatedEvent: 3,
};

export const isQuoteEvent = (event: SourceEvent): boolean =>
  event.aggregateType === 'QUOTE' && (quoteEventTypes as readonly string[]).includes(event.eventType);

const approvalOf = (event: SourceEvent, cursor: string): ApprovalStatus | undefined => {
  const r = event.resource;
  if (event.eventType === 'QuoteApprovalRequestedEvent') {
    const req = obj(r.approvalRequest);
    return { status: 'PENDING', requestId: str(req?.id), at: event.eventTime, cursor };
  }
  if (event.eventType === 'QuoteApprovalDecidedEvent') {
    const d = obj(r.approvalDecision);
    return {
      status: d?.decision === 'REJECT' ? 'REJECTED' : 'APPROVED',
      requestId: str(d?.requestId),
      at: str(d?.at) ?? event.eventTime,
      cursor,
    };
  }
  if (event.eventType === 'QuoteApprovalInvalidatedEvent') {
    return {
      status: 'INVALIDATED',
      requestId: str(r.requestId),
      at: event.eventTime,
      cause: str(r.cause),
      cursor,
    };
  }
  return undefined;
};

/**
 * Idempotent (an applied event id changes nothing) and regression-proof (header and approval
 * status only move to a later cursor). Returns the same object when nothing changed.
 */
export const applyQuoteEvent = (
  row: QuoteSummaryRow | undefined,
  event: SourceEvent,
  now: string,
): QuoteSummaryRow | undefined => {
  if (!isQuoteEvent(event)) return row;
  if (row?.applied.includes(event.eventId)) return row;
  const r = event.resource;
  const headerCursor = cursorOf(event);
  const takeHeader = isAfter(headerCursor, row?.headerCursor);
  const validFor = obj(r.validFor);
  const base: QuoteSummaryRow = row ?? {
    quoteId: event.aggregateId,
    channelId: str(r.channelId) ?? '',
    accountId: str(r.accountId) ?? '',
    state: str(r.state) ?? 'inProgress',
    validFor: {},
    headerCursor: '',
    requests: {},
    applied: [],
    freshness: freshnessAfter(undefined, event, now),
  };
  const next: QuoteSummaryRow = {
    ...base,
    ...(takeHeader
      ? {
          channelId: str(r.channelId) ?? base.channelId,
          accountId: str(r.accountId) ?? base.accountId,
          currency: str(r.currency) ?? base.currency,
          ...(str(r.externalId) ? { externalId: str(r.externalId) } : {}),
          state: str(r.state) ?? base.state,
          validFor: {
            startDateTime: str(validFor?.startDateTime),
            endDateTime: str(validFor?.endDateTime),
          },
          headerCursor,
        }
      : {}),
    applied: withApplied(base.applied, event.eventId),
    freshness: freshnessAfter(row?.freshness, event, now),
  };
  const request = obj(r.approvalRequest);
  const requestId = str(request?.id);
  if (event.eventType === 'QuoteApprovalRequestedEvent' && requestId) {
    next.requests = {
      ...base.requests,
      [requestId]: {
        requestId,
        reasonCodes: Array.isArray(request?.reasonCodes) ? (request.reasonCodes as string[]) : [],
        policyVersion: str(request?.policyVersion),
        submittedAt: str(request?.submittedAt),
        dueAt: str(request?.dueAt),
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

/** A row of `GET /views/approval-inbox`. */
export const approvalInboxView = (row: QuoteSummaryRow) => {
  const pending = pendingApprovalOf(row)!;
  return {
    quoteId: row.quoteId,
    accountId: row.accountId,
    channelId: row.channelId,
    approvalRequestId: pending.requestId,
    reasonCodes: pending.reasonCodes,
    policyVersion: pending.policyVersion,
    submittedAt: pending.submittedAt,
    dueAt: pending.dueAt,
    status: 'PENDING' as const,
    freshness: freshnessOut(row),
  };
};

/** A row of `GET /views/expiring-quotes`. */
export const expiringQuoteView = (row: QuoteSummaryRow, now: string) => ({
  quoteId: row.quoteId,
  accountId: row.accountId,
  channelId: row.channelId,
  state: row.state,
  validFor: row.validFor,
  expiresInMs: Date.parse(row.validFor.endDateTime ?? now) - Date.parse(now),
  freshness: freshnessOut(row),
});
