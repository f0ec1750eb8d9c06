import type { SourceEvent } from '#domain/projections/source-event';
import type { FactRow } from './fact-tables.ts';
import { epoch } from './lifecycle-facts.ts';

/**
 * A command refused with a domain code is not an aggregate change (nothing is written), so it has
 * no domain event: the API publishes this record to the bus instead, for the KPIs whose
 * denominators are attempts (configuration, conversion, cancellation). The lake is its only record.
 */
export const commandRefusedEventType = 'CommandRefusedEvent';
export const commandRefusalSource = 'cpqoms.commands';

/** The refusals the KPIs count, by operation: the others are not published. */
export const reportedRefusals: Readonly<Record<string, readonly string[] | 'every code'>> = {
  'quote-create': ['INVALID_CONFIGURATION'],
  'quote-patch': ['INVALID_CONFIGURATION'],
  'tmf648-quote-create': ['INVALID_CONFIGURATION'],
  'tmf648-quote-patch': ['INVALID_CONFIGURATION'],
  // Order submission success counts every refused submission; conversion failure some codes.
  'order-create': 'every code',
  'order-cancel': ['POINT_OF_NO_RETURN'],
  // Refused downstream notices (domain/order/refused-notice.ts): their lake record beside the ops one.
  'downstream-notice': ['UNKNOWN_TASK', 'TASK_FINISHED', 'TASK_NOT_DISPATCHED'],
};

export const isReportedRefusal = (operation: string, code: string): boolean => {
  const codes = reportedRefusals[operation];
  return codes === 'every code' || (codes?.includes(code) ?? false);
};

export type CommandRefusal = {
  eventId: string;
  at: string;
  operation: string;
  code: string;
  aggregateId: string | null;
  channelId: string;
  correlationId: string;
};

/** The record as it travels: the envelope every fact source has. */
export const refusalEvent = (r: CommandRefusal): SourceEvent => ({
  eventId: r.eventId,
  eventTime: r.at,
  eventType: commandRefusedEventType,
  domain: 'command',
  correlationId: r.correlationId,
  aggregateType: 'COMMAND',
  aggregateId: r.aggregateId ?? '',
  aggregateVersion: 0,
  resource: { operation: r.operation, code: r.code, channelId: r.channelId },
});

export const refusalFact = (source: SourceEvent): FactRow<'fact_command_refusal'> | undefined => {
  const r = source.resource as { operation?: unknown; code?: unknown; channelId?: unknown };
  if (typeof r.operation !== 'string' || typeof r.code !== 'string') return undefined;
  return {
    operation: r.operation,
    code: r.code,
    aggregate_id: source.aggregateId || null,
    channel: typeof r.channelId === 'string' ? r.channelId : null,
    occurred_at: source.eventTime,
    occurred_epoch_seconds: epoch(source.eventTime),
    event_id: source.eventId,
    event_time: source.eventTime,
  };
};
