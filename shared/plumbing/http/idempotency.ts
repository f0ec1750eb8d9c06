import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj, Request } from '@middy/core';
import { dynamoClient } from '#plumbing/clients';
import { env } from '#plumbing/env';
import { emitDuplicateSubmit } from '#plumbing/metrics';
import { logger } from '#plumbing/observability';
import type { HttpResult } from './responses.ts';

/**
 * One persistence layer per operation, as each Lambda has its own: Powertools keeps the key
 * prefix on the layer, so handlers sharing a process (the local stack) must not share one.
 */
const persistence = new Map<string, DynamoDBPersistenceLayer>();
const persistenceStore = (operation: string): DynamoDBPersistenceLayer => {
  let store = persistence.get(operation);
  if (!store) {
    store = new DynamoDBPersistenceLayer({
      tableName: env.table('idempotency'),
      awsSdkV3Client: dynamoClient(),
    });
    persistence.set(operation, store);
  }
  return store;
};

const idempotencyConfigFor = (operation: string): IdempotencyConfig =>
  new IdempotencyConfig({
    eventKeyJmesPath: 'command.[principalId, idempotencyKey]',
    payloadValidationJmesPath: 'command.[params, body]',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: 24 * 60 * 60,
    responseHook: (response) => {
      emitDuplicateSubmit(operation);
      logger.info('idempotent replay', { operation });
      const result = response as unknown as HttpResult;
      return { ...result, headers: { ...(result.headers ?? {}), 'Idempotent-Replayed': 'true' } };
    },
  });

const refusedBeforeHandler = 'cpqoms.idempotency.refusedBeforeHandler';

/**
 * Powertools idempotency, scoped to operation (key prefix) + principal + key. Wrapped because
 * middy runs every onError after a `before` throws: without the guard, a request refused as
 * "in progress" or "key reused" would delete the record that belongs to the first request.
 */
export const commandIdempotency = (operation: string): MiddlewareObj => {
  let inner: MiddlewareObj | undefined;
  const middleware = () => {
    inner ??= makeHandlerIdempotent({
      persistenceStore: persistenceStore(operation),
      config: idempotencyConfigFor(operation),
      keyPrefix: operation,
    }) as MiddlewareObj;
    return inner;
  };
  return {
    before: async (request: Request) => {
      try {
        return await middleware().before?.(request);
      } catch (error) {
        (request.internal as Record<string, unknown>)[refusedBeforeHandler] = true;
        throw error;
      }
    },
    after: async (request: Request) => middleware().after?.(request),
    onError: async (request: Request) => {
      if ((request.internal as Record<string, unknown>)[refusedBeforeHandler]) return;
      return middleware().onError?.(request);
    },
  };
};
