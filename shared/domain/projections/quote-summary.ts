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
