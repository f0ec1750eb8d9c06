import { DomainError } from '#domain/errors';

/**
 * TMF list conventions shared by productOrder, cancelProductOrder and quote lists: `fields`
 * selects top-level attributes (id, href and @type always stay), and a date attribute filters
 * with `.gt`, `.gte`, `.lt`, `.lte` suffixes.
 */
export type DateRange = { from?: string; fromInclusive: boolean; to?: string; toInclusive: boolean };

const alwaysKept = ['id', 'href', '@type'];

export const parseFields = (fields: string | undefined): string[] | undefined => {
  if (fields === undefined) return undefined;
  const names = fields
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const bad = names.filter((n) => !/^@?[A-Za-z][A-Za-z0-9]*$/.test(n));
  if (names.length === 0 || bad.length > 0) {
    throw new DomainError(
      'MALFORMED_REQUEST',
      'fields is a comma-separated list of attribute names',
      {
        fields: [
          { field: 'fields', message: bad.length > 0 ? `not attribute names: ${bad.join(', ')}` : 'empty' },
        ],
      },
      400,
    );
  }
  return names;
};

export const selectFields = (resource: Record<string, unknown>, fields: string[] | undefined) =>
  fields === undefined
    ? resource
    : Object.fromEntries(
        Object.entries(resource).filter(([k]) => alwaysKept.includes(k) || fields.includes(k)),
      );

const isoInstant = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** `orderDate.gte=2026-11-01&orderDate.lt=2026-12-01` → a range on ISO instants (UTC). */
export const parseDateRange = (query: Record<string, string>, attribute: string): DateRange | undefined => {
  const range: DateRange = { fromInclusive: true, toInclusive: true };
  let any = false;
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    const raw = query[`${attribute}.${op}`];
    if (raw === undefined) continue;
    const ms = isoInstant.test(raw) ? Date.parse(raw) : Number.NaN;
    if (Number.isNaN(ms)) {
      throw new DomainError(
        'MALFORMED_REQUEST',
        `${attribute}.${op} must be an ISO 8601 date or date-time`,
        { fields: [{ field: `${attribute}.${op}`, message: 'expected e.g. 2026-11-24T00:00:00Z' }] },
        400,
      );
    }
    const iso = new Date(ms).toISOString();
    any = true;
    if (op === 'gt' || op === 'gte') Object.assign(range, { from: iso, fromInclusive: op === 'gte' });
    else Object.assign(range, { to: iso, toInclusive: op === 'lte' });
  }
  const { from, to } = range;
  if (
    from !== undefined &&
    to !== undefined &&
    (from > to || (from === to && !(range.fromInclusive && range.toInclusive)))
  ) {
    throw new DomainError(
      'MALFORMED_REQUEST',
      `${attribute} range is empty: its lower bound is not below its upper bound`,
      {
        fields: [
          {
            field: `${attribute}.${range.fromInclusive ? 'gte' : 'gt'}`,
            message: `must be below ${attribute}.${range.toInclusive ? 'lte' : 'lt'}`,
          },
        ],
      },
      400,
    );
  }
  return any ? range : undefined;
};

export const inRange = (instant: string, range: DateRange | undefined): boolean => {
  if (!range) return true;
  if (range.from !== undefined && (range.fromInclusive ? instant < range.from : instant <= range.from))
    return false;
  if (range.to !== undefined && (range.toInclusive ? instant > range.to : instant >= range.to)) return false;
  return true;
};

/**
 * The same range on a list sort key `<instant>#<id>` (BETWEEN bounds), so the index reads only
 * entries inside it.
 */
export const listKeyBounds = (range: DateRange | undefined): { from: string; to: string } | undefined => {
  if (!range) return undefined;
  const from = range.from === undefined ? '0' : range.fromInclusive ? range.from : `${range.from}#\uffff`;
  const to = range.to === undefined ? '\uffff' : range.toInclusive ? `${range.to}#\uffff` : range.to;
  return { from, to };
};
