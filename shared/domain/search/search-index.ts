import type { OrderSearchDoc } from './order-search.ts';
import type { QuoteSearchDoc } from './quote-search.ts';

/**
 * Index entries for the search documents. Each searchable field writes one entry per value
 * under a partition named by document type, field, scope and value, sorted so one query page
 * returns the entries it reads: a search reads exactly the page it returns from the most
 * selective criterion and checks the other criteria on those entries. Internal roles read the
 * `all` scope, partners their own channel's scope, so a partner's query never reads another
 * channel's entry. Schema 1 wrote every entry twice, once per scope; from schema 2
 * (`channelIndexSchema`) an entry is written once, under the `all` scope, and carries its channel
 * scope's partition as `channelPk`, the partition key of a GSI that answers partners' queries: a
 * transaction bills 2 write units per item, the GSI 1, so a value costs 3 units instead of 4.
 */
export type DocumentType = 'quote' | 'order';

/** From this index schema on (search-versions.ts), an entry is written once and a GSI answers the channel scope. */
export const channelIndexSchema = 2;
export type SearchDoc = QuoteSearchDoc | OrderSearchDoc;

export type EntryKey = { field: string; value: string; sort: string };

type SortCondition = { op: 'begins_with' | '<'; value: string };

export type FieldSpec<D> = {
  /** Query parameter name (docs/api-contract.md). */
  param: string;
  entries: (doc: D) => { value: string; sort: string }[];
  /** The partition value and sort-key condition that answer `param=v`. */
  query: (v: string) => { value: string; sort?: SortCondition; newestFirst: boolean };
  matches: (doc: D, v: string) => boolean;
};

const norm = (v: string) => v.trim().toLowerCase();
const newest = (at: string | undefined, id: string) => `${at ?? ''}#${id}`;
const exact = <D>(
  param: string,
  valuesOf: (doc: D) => (string | undefined)[],
  sortOf: (doc: D) => string,
  normalize: (v: string) => string = (v) => v,
): FieldSpec<D> => ({
  param,
  entries: (doc) =>
    [
      ...new Set(
        valuesOf(doc)
          .filter((v): v is string => !!v)
          .map(normalize),
      ),
    ].map((value) => ({
      value,
      sort: sortOf(doc),
    })),
  query: (v) => ({ value: normalize(v), newestFirst: true }),
  matches: (doc, v) => valuesOf(doc).some((x) => x !== undefined && normalize(x) === normalize(v)),
});

const quoteSort = (d: QuoteSearchDoc) => newest(d.dates.createdAt, d.quoteId);
const orderSort = (d: OrderSearchDoc) => newest(d.orderDate, d.orderId);

/** In priority order: the first criterion present picks the partition that is read. */
export const quoteFields: FieldSpec<QuoteSearchDoc>[] = [
  exact('quoteNumber', (d) => [d.quoteNumber], quoteSort),
  exact('externalId', (d) => [d.externalId], quoteSort),
  {
    param: 'customerName',
    // Partitioned by the first letter; the prefix is a sort-key condition within it.
    entries: (d) =>
      d.customer.nameLower
        ? [{ value: d.customer.nameLower[0]!, sort: `${d.customer.nameLower}#${d.quoteId}` }]
        : [],
    query: (v) => ({
      value: norm(v)[0] ?? '',
      sort: { op: 'begins_with', value: norm(v) },
      newestFirst: false,
    }),
    matches: (d, v) => d.customer.nameLower.startsWith(norm(v)),
  },
  exact('offeringId', (d) => d.products.map((p) => p.offeringId), quoteSort),
  exact('region', (d) => [d.customer.region], quoteSort, norm),
  exact('state', (d) => [d.state], quoteSort),
  {
    param: 'expiresBefore',
    entries: (d) => (d.dates.expiresAt ? [{ value: '-', sort: `${d.dates.expiresAt}#${d.quoteId}` }] : []),
    query: (v) => ({ value: '-', sort: { op: '<', value: v }, newestFirst: false }),
    matches: (d, v) => !!d.dates.expiresAt && d.dates.expiresAt < v,
  },
];

export const orderFields: FieldSpec<OrderSearchDoc>[] = [
  exact('orderId', (d) => [d.orderId], orderSort),
  exact('correlationId', (d) => d.correlationIds, orderSort),
  exact('accountId', (d) => [d.accountId], orderSort),
  exact('falloutReason', (d) => [d.falloutReason], orderSort),
  exact('downstreamSystem', (d) => d.downstreamSystems, orderSort),
  exact('productFamily', (d) => d.productFamilies, orderSort, norm),
  exact('state', (d) => [d.state], orderSort),
  exact('slaBreached', (d) => [String(d.slaBreached)], orderSort),
];

// biome-ignore lint/suspicious/noExplicitAny: one registry over both document types
export const fieldsOf = (type: DocumentType): FieldSpec<any>[] =>
  type === 'quote' ? quoteFields : orderFields;

export type Scope = { kind: 'all' } | { kind: 'channel'; channelId: string };
const scopeName = (s: Scope) => (s.kind === 'all' ? 'all' : `ch:${s.channelId}`);

export const entryPartition = (type: DocumentType, field: string, scope: Scope, value: string) =>
  `IDX#${type}#${field}#${scopeName(scope)}#${value}`;

/** An index entry: its partition and sort value, and (schema 2) its channel scope's partition. */
export type Entry = { pk: string; sk: string; channelPk?: string };

/** Every entry a document needs in an index version of this schema, every indexed field. */
export const entriesOf = (type: DocumentType, doc: SearchDoc, schema: number): Entry[] => {
  const all: Scope = { kind: 'all' };
  const channel: Scope = { kind: 'channel', channelId: doc.channelId };
  const out: Entry[] = [];
  for (const field of fieldsOf(type)) {
    for (const e of field.entries(doc)) {
      const pk = entryPartition(type, field.param, all, e.value);
      const channelPk = entryPartition(type, field.param, channel, e.value);
      if (schema >= channelIndexSchema) out.push({ pk, sk: e.sort, channelPk });
      else out.push({ pk, sk: e.sort }, { pk: channelPk, sk: e.sort });
    }
  }
  return out;
};

export type Criteria = Record<string, string>;

/** The partition to read for the given criteria and the check for the others. */
export const searchPlan = (type: DocumentType, criteria: Criteria, scope: Scope) => {
  const fields = fieldsOf(type);
  const primary = fields.find((f) => criteria[f.param] !== undefined);
  if (!primary) return undefined;
  const q = primary.query(criteria[primary.param]!);
  const rest = fields.filter((f) => f !== primary && criteria[f.param] !== undefined);
  return {
    field: primary.param,
    /** The caller's scope's partition: a channel's is read from the GSI from schema 2 on. */
    pk: entryPartition(type, primary.param, scope, q.value),
    /** The `all` scope's partition, under which schema 2 stores the entries of every scope. */
    allPk: entryPartition(type, primary.param, { kind: 'all' }, q.value),
    byChannel: scope.kind === 'channel',
    sort: q.sort,
    newestFirst: q.newestFirst,
    matches: (doc: SearchDoc) =>
      primary.matches(doc, criteria[primary.param]!) && rest.every((f) => f.matches(doc, criteria[f.param]!)),
  };
};
