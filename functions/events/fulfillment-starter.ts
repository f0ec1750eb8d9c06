import type { EventBridgeEvent } from 'aws-lambda';
import type { EventEnvelope } from '#adapters/aggregate-store';
import { resolveEventDetail } from '#adapters/event-details';
import { workflowInput } from '#domain/order/workflow-input';
import { firstExecutionName } from '#domain/reconciliation/stranded-orders';
import { env } from '#plumbing/env';
import { logger } from '#plumbing/observability';
import { withObservability } from '#plumbing/observability-middleware';
import { stepFunctions } from '#plumbing/sfn-client';

type TriggerEvent = EventBridgeEvent<string, Partial<EventEnvelope>>;

/** Step Functions execution names: 1 to 80 of [A-Za-z0-9-_]. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);

/**
 * One execution per trigger event: the creation of an order starts `order-<orderId>` (the name
 * reconciliation also uses to start an order whose events never arrived); a repair, a
 * cancellation or a downstream's completion notice starts `<orderId>-<eventId>` (the outbox event
 * id, stable across redeliveries). Duplicate deliveries of one event therefore start one execution.
 * Every run asks the order aggregate what is next, so a run that starts while another sleeps in
 * its timer wait simply moves the order on now; the sleeper finds it finished when it wakes.
 */
export const executionNameFor = (detailType: string, orderId: string, eventId: string): string =>
  detailType === 'ProductOrderCreateEvent' ? firstExecutionName(orderId) : safeName(`${orderId}-${eventId}`);

const start = async (event: TriggerEvent): Promise<{ executionName: string; started: boolean }> => {
  const detail = await resolveEventDetail(event.detail ?? {});
  const orderId = detail.aggregateId;
  const eventId = detail.eventId;
  if (detail.aggregateType !== 'ORDER' || !orderId || !eventId) {
    // Not retryable: the event itself is malformed, a redelivery would be the same.
    logger.error('trigger without order identity', { detailType: event['detail-type'], eventId: event.id });
    throw new Error('Fulfillment trigger lacks aggregateId/eventId');
  }
  const correlationId = detail.correlationId ?? eventId;
  const executionName = executionNameFor(event['detail-type'], orderId, eventId);
  logger.appendKeys({ orderId, correlationId, eventId, executionName });
  try {
    const { client, sdk } = await stepFunctions();
    await client.send(
      new sdk.StartExecutionCommand({
        stateMachineArn: env.stateMachineArn('fulfillment'),
        name: executionName,
        input: JSON.stringify(workflowInput(orderId, correlationId)),
      }),
    );
    logger.info('fulfillment started', { detailType: event['detail-type'] });
    return { executionName, started: true };
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists') {
      logger.info('fulfillment already started for this trigger');
      return { executionName, started: false };
    }
    throw error;
  }
};

export const handler = withObservability(start);
