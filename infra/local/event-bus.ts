import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { type EventRule, eventRules } from '#topology';
import type { AsyncInvoker } from './async-invoker.ts';
import { matchesPattern } from './event-pattern.ts';
import { localAccount, localRegion } from './local-aws.ts';
import { checkPutEvents } from './service-limits.ts';

export type PutEventsEntry = {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: string;
  Resources?: string[];
};
export type PutEventsResult = {
  FailedEntryCount: number;
  Entries: ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[];
};
export type AcceptedEvent = EventBridgeEvent<string, Record<string, unknown>>;

/**
 * The local custom bus: accepts PutEvents, keeps every accepted event, matches the topology's
 * rules and invokes their target functions asynchronously, as EventBridge does (Lambda then
 * retries a failed run and sends the event to the function's on-failure destination). `refuseNext` makes it reject whole calls to prove publishers lose nothing.
 */
export class LocalEventBus {
  readonly accepted: AcceptedEvent[] = [];
  private refusals = 0;
  private partialFailures = 0;
  private duplicates = 0;
  private duplicateTypes?: string[];
  /** Every PutEvents call fails until cleared (local faults API). */
  unavailable = false;
  private readonly streams: { pattern: EventRule['pattern']; put: (event: AcceptedEvent) => void }[] = [];

  constructor(private readonly lambda: AsyncInvoker) {}

  /** A rule whose target is a delivery stream (EventBridge → Firehose). */
  connectDeliveryStream(pattern: EventRule['pattern'], put: (event: AcceptedEvent) => void): void {
    this.streams.push({ pattern, put });
  }

  /** The next `calls` PutEvents calls fail as a whole (throttled bus). */
  refuseNext(calls: number): void {
    this.refusals = calls;
  }

  /** The next `entries` entries fail individually inside otherwise successful calls. */
  failNextEntries(entries: number): void {
    this.partialFailures = entries;
  }

  /** The next `deliveries` matched events (of these detail-types) reach each target twice (at-least-once delivery). */
  duplicateNext(deliveries: number, detailTypes?: string[]): void {
    this.duplicates = deliveries;
    this.duplicateTypes = detailTypes;
  }

  get pendingFaults(): {
    unavailable: boolean;
    refusals: number;
    partialFailures: number;
    duplicates: number;
  } {
    return {
      unavailable: this.unavailable,
      refusals: this.refusals,
      partialFailures: this.partialFailures,
      duplicates: this.duplicates,
    };
  }

  /** Throws ServiceLimitExceeded for a request EventBridge refuses whole (too many entries or bytes). */
  putEvents(entries: PutEventsEntry[]): PutEventsResult | 'refused' {
    checkPutEvents(entries);
    if (this.unavailable) return 'refused';
    if (this.refusals > 0) {
      this.refusals--;
      return 'refused';
    }
    const results: PutEventsResult['Entries'] = [];
    let failed = 0;
    for (const entry of entries) {
      if (this.partialFailures > 0) {
        this.partialFailures--;
        failed++;
        results.push({ ErrorCode: 'ThrottlingException', ErrorMessage: 'Injected partial failure' });
        continue;
      }
      const event: AcceptedEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType ?? '',
        source: entry.Source ?? '',
        account: localAccount,
        time: entry.Time ?? new Date().toISOString(),
        region: localRegion,
        resources: [],
        detail: JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>,
      };
      this.accepted.push(event);
      results.push({ EventId: event.id });
      this.route(event);
    }
    return { FailedEntryCount: failed, Entries: results };
  }

  private route(event: AcceptedEvent): void {
    for (const stream of this.streams) if (matchesPattern(event, stream.pattern)) stream.put(event);
    const rules = eventRules.filter((rule) => matchesPattern(event, rule.pattern));
    // An injected duplicate reaches every target of the event twice.
    const chosen = !this.duplicateTypes || this.duplicateTypes.includes(event['detail-type']);
    const copies = rules.length > 0 && chosen && this.duplicates > 0 ? 2 : 1;
    if (copies === 2) this.duplicates--;
    for (const rule of rules) {
      for (let i = 0; i < copies; i++) this.lambda.invoke(rule.target.function, event, { rule: rule.name });
    }
  }

  async drain(): Promise<void> {
    await this.lambda.drain();
  }
}
