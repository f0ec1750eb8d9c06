import type { Page } from '#adapters/order-pages';

/**
 * An order's item and plan pages as this process last read them, under the version of the
 * order that last wrote any of them (`blueprintVersion`, an attribute of the header). Those pages
 * change only when the order is created, started or revised; every other step writes step pages
 * only. A header naming the same version names exactly these pages: a load then reads the header
 * and the step pages, not the whole order again (the workflow's NextStep reads it every round).
 */
type Blueprint = { version: number; pages: string };

/** A few orders per warm function: the workflow of one order calls the same functions round after round. */
const capacity = 32;
const held = new Map<string, Blueprint>();

let scope: () => string = () => '';
/** Locally every function's handler runs in one process: each keeps its own, as a Lambda function does. */
export const scopeBlueprints = (of: () => string): void => {
  scope = of;
};

export const heldBlueprint = (orderId: string, version: unknown): Page[] | undefined => {
  const key = `${scope()}#${orderId}`;
  const entry = held.get(key);
  if (!entry || typeof version !== 'number' || entry.version !== version) return undefined;
  // Most recently used last; a copy, so no caller's change reaches the pages held.
  held.delete(key);
  held.set(key, entry);
  return JSON.parse(entry.pages) as Page[];
};

export const holdBlueprint = (orderId: string, version: unknown, pages: readonly Page[]): void => {
  if (typeof version !== 'number') return;
  const key = `${scope()}#${orderId}`;
  held.delete(key);
  held.set(key, { version, pages: JSON.stringify(pages) });
  for (const oldest of held.keys()) {
    if (held.size <= capacity) break;
    held.delete(oldest);
  }
};

/**
 * Single item and plan pages, as a step on one task read them, under the same version: the
 * dispatch and record steps of a round meet the same few pages again and again.
 */
const pagesHeld = new Map<string, Blueprint>();
const pageCapacity = 128;

export const heldPage = (
  orderId: string,
  sk: string,
): { version: number; entries: unknown[] } | undefined => {
  const entry = pagesHeld.get(`${scope()}#${orderId}#${sk}`);
  return entry && { version: entry.version, entries: JSON.parse(entry.pages) as unknown[] };
};

export const holdPage = (
  orderId: string,
  sk: string,
  version: unknown,
  entries: readonly unknown[],
): void => {
  if (typeof version !== 'number') return;
  const key = `${scope()}#${orderId}#${sk}`;
  pagesHeld.delete(key);
  pagesHeld.set(key, { version, pages: JSON.stringify(entries) });
  for (const oldest of pagesHeld.keys()) {
    if (pagesHeld.size <= pageCapacity) break;
    pagesHeld.delete(oldest);
  }
};
