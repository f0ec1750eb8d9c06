import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { type EventRule, eventRules } from '#topology';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { DomainFunctions } from './functions.ts';

/** Topology pattern keys are the wire format; the CDK type spells `detail-type` as `detailType`. */
export const toEventPattern = ({
  'detail-type': detailType,
  ...rest
}: EventRule['pattern']): events.EventPattern => ({
  ...rest,
  ...(detailType ? { detailType } : {}),
});

/** The domain event bus, its archive (replay after a consumer bug) and one rule per topology event rule. */
export class DomainEvents extends Construct {
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: { functions: DomainFunctions }) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { description: 'CPQ/OMS domain events (from the outbox)' });
    this.bus.archive('Archive', {
      description: 'Every domain event, for replay',
      eventPattern: { account: [Stack.of(this).account] },
      retention: Duration.days(365),
    });

    for (const rule of eventRules) {
      const deadLetterQueue = new DeadLetterQueue(this, `${rule.name}Dlq`, {
        purpose: `events of rule ${rule.name} its target could not take`,
      });
      new events.Rule(this, rule.name, {
        eventBus: this.bus,
        description: rule.description,
        eventPattern: toEventPattern(rule.pattern),
        targets: [
          new targets.LambdaFunction(props.functions.get(rule.target.function), {
            deadLetterQueue,
            retryAttempts: 8,
            maxEventAge: Duration.hours(24),
          }),
        ],
      });
    }
  }
}
