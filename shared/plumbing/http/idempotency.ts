import { gunzipSync, gzipSync } from 'node:zlib';
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

/**
 * The first response is kept in the idempotency record, one DynamoDB item (400 KB, billed per
 * started KB on every write). A body over a KB (an order answers about 2 KB; a priced 500-line
 * quote ≈ 600 KB of JSON) is kept gzipped (10 to 40 % of it) and unzipped when replayed: the
 * client gets the same status and body either way.
 */
export const largeResponseBytes = 1024;
type StoredResult = HttpResult & { bodyGzip?: string };

export const storedFormOf = (result: HttpResult): StoredResult =>
  Buffer.byteLength(result.body ?? '', 'utf8') <= largeResponseBytes
    ? result
    : { ...result, body: '', bodyGzip: gzipSync(result.body).toString('base64') };

export const replayedFormOf = (stored: StoredResult): HttpResult => {
  if (stored.bodyGzip === undefined) return stored;
  const { bodyGzip, ...result } = stored;
  return { ...result, body: gunzipSync(Buffer.from(bodyGzip, 'base64')).toString('utf8') };
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
      const result = replayedFormOf(response as unknown as StoredResult);
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
    // The record gets the stored form; the client still gets the response as the handler gave it.
    after: async (request: Request) => {
      const response = request.response as HttpResult | undefined;
      if (response) request.response = storedFormOf(response);
      try {
        return await middleware().after?.(request);
      } finally {
        request.response = response;
      }
    },
    onError: async (request: Request) => {
      if ((request.internal as Record<string, unknown>)[refusedBeforeHandler]) return;
      return middleware().onError?.(request);
    },
  };
};
