import { AsyncLocalStorage } from 'node:async_hooks';
import type { FunctionName } from '#topology';

/** The function whose handler is running (handlers share one process and one SDK client locally). */
export const invocationScope = new AsyncLocalStorage<FunctionName>();
