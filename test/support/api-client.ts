import { randomUUID } from 'node:crypto';

export type Reply<T = Record<string, any>> = { status: number; headers: Headers; body: T };

export type CallOptions = { token?: string; key?: string | null; headers?: Record<string, string> };

let sharedStack: string | undefined;

/** The shared stack this e2e file leased for its whole run (test/support/shared-stack-lease.ts). */
export const useSharedStack = (url: string) => {
  sharedStack = url;
};

/** The URL of this file's shared stack: e2e files of the `e2e` project only. */
export const stackUrl = (): string => {
  if (!sharedStack) throw new Error('No shared stack leased: only files of the e2e project have one');
  return sharedStack;
};

/**
 * A client of the API as an external channel sees it: bearer token, idempotency key, JSON. By
 * default a client of the file's shared stack (undefined outside the e2e project, as before).
 */
export const client = (baseUrl: string = sharedStack as string) => {
  const call = async <T = Record<string, any>>(
    method: string,
    path: string,
    body?: unknown,
    opts: CallOptions = {},
  ) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method === 'POST' && opts.key !== null) headers['Idempotency-Key'] = opts.key ?? randomUUID();
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // non-JSON body stays text
    }
    return { status: res.status, headers: res.headers, body: parsed as T } satisfies Reply<T>;
  };
  return {
    baseUrl,
    get: <T = Record<string, any>>(path: string, opts?: CallOptions) => call<T>('GET', path, undefined, opts),
    post: <T = Record<string, any>>(path: string, body: unknown, opts?: CallOptions) =>
      call<T>('POST', path, body, opts),
    patch: <T = Record<string, any>>(path: string, body: unknown, opts?: CallOptions) =>
      call<T>('PATCH', path, body, opts),
    put: <T = Record<string, any>>(path: string, body: unknown, opts?: CallOptions) =>
      call<T>('PUT', path, body, opts),
    delete: <T = Record<string, any>>(path: string, opts?: CallOptions) =>
      call<T>('DELETE', path, undefined, opts),
  };
};

export const ordersPath = '/tmf-api/productOrderingManagement/v4';
export const quotesPath = '/tmf-api/quoteManagement/v4';

/** Polls until `check` returns a value (not undefined) or the attempts run out. */
export const eventually = async <T>(
  check: () => Promise<T | undefined>,
  attempts = 150,
  pauseMs = 200,
): Promise<T> => {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new Error(
    `condition not met after ${attempts} attempts${last ? `: ${(last as Error).message}` : ''}`,
  );
};
