import { createHash } from 'node:crypto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };

/**
 * JSON with object keys sorted at every level and `undefined` members dropped, so equal values
 * always serialise to the same bytes whatever order their keys were built in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value as Json));
}

function sortKeys(value: Json | undefined): Json | undefined {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item) ?? null);
  if (value !== null && typeof value === 'object') {
    const sorted: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const member = sortKeys(value[key]);
      if (member !== undefined) sorted[key] = member;
    }
    return sorted;
  }
  return value;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const canonicalHash = (value: unknown): string => `sha256:${sha256Hex(canonicalJson(value))}`;
