import {
  putEventsEntrySize,
  putEventsMaxBytes,
  putEventsMaxEntries,
  type SizedEntry,
} from '#adapters/put-events-limits';

/**
 * The payload limits AWS enforces on the calls the local stack emulates, each with the error AWS
 * answers with, so that a local run refuses what AWS refuses. Sizes are UTF-8 bytes of the JSON.
 */
export class ServiceLimitExceeded extends Error {
  constructor(
    override readonly name: string,
    message: string,
    /** The HTTP status of AWS's answer where the call is an API request. */
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

const bytesOf = (value: unknown): number =>
  Buffer.byteLength(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''), 'utf8');

/**
 * PutEvents: more than 10 entries, or entries over 256 KB together, and EventBridge refuses the
 * whole request with a ValidationException (no entry is put).
 */
export const checkPutEvents = (entries: SizedEntry[]): void => {
  if (entries.length > putEventsMaxEntries)
    throw new ServiceLimitExceeded(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${putEventsMaxEntries}`,
    );
  const total = entries.reduce((n, e) => n + putEventsEntrySize(e), 0);
  if (total > putEventsMaxBytes)
    throw new ServiceLimitExceeded(
      'ValidationException',
      `Total size of the entries in the request is over the limit (${total} > ${putEventsMaxBytes} bytes).`,
    );
};

/**
 * Step Functions: the input or output of a state, and an execution's input, is at most 256 KiB.
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-task-executions
 */
export const statePayloadMaxBytes = 256 * 1024;

/**
 * A state's input or result over the quota fails the state with `States.DataLimitExceeded`, a
 * terminal error: neither `States.ALL` nor `States.TaskFailed` retries or catches it.
 */
export class StatesDataLimitExceeded extends ServiceLimitExceeded {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(message: string) {
    super('States.DataLimitExceeded', message);
  }
}

export const checkStatePayload = (state: string, what: 'input' | 'output', value: unknown): void => {
  const size = bytesOf(value);
  if (size > statePayloadMaxBytes)
    throw new StatesDataLimitExceeded(
      `The state '${state}' ${what === 'input' ? 'received an input' : 'returned a result'} of ${size} bytes, over the maximum of ${statePayloadMaxBytes} bytes.`,
    );
};

/** StartExecution: an input over the quota is refused before any execution exists. */
export const checkExecutionInput = (input: string): void => {
  const size = bytesOf(input);
  if (size > statePayloadMaxBytes)
    throw new ServiceLimitExceeded(
      'ValidationException',
      `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${statePayloadMaxBytes}`,
    );
};

/**
 * SQS: a message body is at most 1 MiB (raised from 256 KiB in August 2025; the queue's
 * `MaximumMessageSize` defaults to it).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
export const sqsMessageMaxBytes = 1024 * 1024;

export const checkSqsMessage = (body: string): void => {
  const size = bytesOf(body);
  if (size > sqsMessageMaxBytes)
    throw new ServiceLimitExceeded(
      'InvalidParameterValue',
      `One or more parameters are invalid. Reason: Message must be shorter than ${sqsMessageMaxBytes} bytes.`,
    );
};

/**
 * Lambda invocation payloads: 6 MB request and 6 MB response when invoked synchronously, 1 MB
 * request when invoked asynchronously (raised from 256 KB in October 2025).
 * https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const lambdaPayloadMaxBytes = { RequestResponse: 6 * 1024 * 1024, Event: 1024 * 1024 } as const;

export type InvocationType = keyof typeof lambdaPayloadMaxBytes;

export const checkInvocationRequest = (payload: unknown, type: InvocationType = 'RequestResponse'): void => {
  const size = bytesOf(payload);
  const max = lambdaPayloadMaxBytes[type];
  if (size > max)
    throw new ServiceLimitExceeded(
      'RequestTooLargeException',
      `Request must be smaller than ${max} bytes for the InvokeFunction operation`,
      413,
    );
};

/** A response over the limit fails the invocation (the caller sees a function error). */
export const checkInvocationResponse = (payload: unknown): void => {
  const size = bytesOf(payload);
  const max = lambdaPayloadMaxBytes.RequestResponse;
  if (size > max)
    throw new ServiceLimitExceeded(
      'Function.ResponseSizeTooLarge',
      `Response payload size (${size} bytes) exceeded maximum allowed payload size (${max} bytes).`,
      502,
    );
};

/** A Task state: its input (after Parameters) and its result are each within the state payload quota. */
export const withinStatePayloadLimit = async <R>(state: string, input: unknown, run: () => Promise<R>) => {
  checkStatePayload(state, 'input', input);
  const result = await run();
  checkStatePayload(state, 'output', result);
  return result;
};
