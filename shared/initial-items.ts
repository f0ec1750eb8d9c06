import { searchIndexSpec } from '#domain/projections/view-catalog';
import { freshSearchPointer, searchPointerKey } from '#domain/search/search-versions';
import { type TableSpec, tables } from './topology.ts';

/**
 * Items a new table starts with, for the local stack and a deploy alike: a new search table starts
 * on the current index schema (a table without a pointer predates schemas and is read in the layout
 * of schema 1). Written only where the partition key is free, so a table keeps what it holds.
 */
export const initialItems = (spec: TableSpec): Record<string, unknown>[] =>
  spec === tables.search
    ? [{ ...searchPointerKey, ...freshSearchPointer(searchIndexSpec.schemaVersion) }]
    : [];
