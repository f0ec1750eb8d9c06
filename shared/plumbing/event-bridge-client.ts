import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { sdkRequestHandler } from './sdk-timeouts.ts';

let events: EventBridgeClient | undefined;

/** One EventBridge client per runtime (endpoint from `AWS_ENDPOINT_URL_EVENTBRIDGE` locally). */
export const eventBridgeClient = (): EventBridgeClient => {
  events ??= new EventBridgeClient({ maxAttempts: 1, requestHandler: sdkRequestHandler() });
  return events;
};
