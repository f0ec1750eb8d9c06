import type { APIGatewayProxyEvent } from 'aws-lambda';

/** Header names are case-insensitive; API Gateway passes them as the client sent them. */
export const lowerCaseHeaders = (event: APIGatewayProxyEvent): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {}))
    if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
};

/** 1 to 255 printable ASCII characters, as the contract says. */
export const validIdempotencyKey = (key: string | undefined): key is string =>
  typeof key === 'string' && /^[\x20-\x7e]{1,255}$/.test(key) && key.trim() !== '';

/** A correlation id from a client is echoed only if it is short and harmless in logs. */
export const validCorrelationId = (id: string | undefined): id is string =>
  typeof id === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(id);

/**
 * True when JSON text nests arrays/objects deeper than `max`. Counted on the raw text, before
 * anything parses, validates or hashes it (a deep body would overflow a recursive walk).
 */
export const jsonNestsDeeperThan = (text: string, max: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
};
