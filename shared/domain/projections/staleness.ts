/** What the source of truth says now, read by exact id (one item, only the version and owner). */
export type SourceState = { version: number; channelId: string };

export const orderLookupHref = (orderId: string) =>
  `/tmf-api/productOrderingManagement/v4/productOrder/${encodeURIComponent(orderId)}`;

/**
 * A read model row never decides: when it is behind its source it says so, and points at the
 * exact-id lookup that reads the source (requirements 000 §18.1: exact-id lookup with a stale warning).
 */
export const staleness = (projectedVersion: number, source: SourceState | undefined, href: string) => {
  const behindBy = source ? Math.max(0, source.version - projectedVersion) : 0;
  return {
    stale: behindBy > 0,
    ...(behindBy > 0
      ? {
          behindBy,
          currentSourceVersion: source?.version,
          message: 'This view is behind its source; the source lookup has the current state',
        }
      : {}),
    sourceLookup: { href },
  };
};
