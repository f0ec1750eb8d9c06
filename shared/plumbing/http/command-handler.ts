import { type ApiSpec, apiHandler } from './api-handler.ts';
import { commandIdempotency } from './idempotency.ts';

/**
 * A state-changing POST: the API handler plus Powertools idempotency (Idempotency-Key required,
 * the first response replayed). A module of its own so that reads do not load the idempotency
 * layer at init.
 */
export const commandHandler = <B = undefined>(spec: Omit<ApiSpec<B>, 'idempotency'>) =>
  apiHandler<B>({ ...spec, idempotency: commandIdempotency });
