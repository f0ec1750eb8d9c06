import type { ViewName } from './views.ts';

/**
 * Every read model as a declared product (requirements 003 §13, §22): who owns it, who reads it,
 * how stale it may be, and which schema and projector build it. A change of a view's stored shape
 * raises `schemaVersion`: it is built as a new version beside the old one (`ops rebuild-projections`),
 * switched when its checksums agree, and switched back by `ops rollback-projections`.
 * `projectorVersion` names the reducer code: rows say which code wrote them.
 */
export type ViewSpec = {
  route: string;
  owner: string;
  consumers: string[];
  /** The p95 projection lag the owner accepts (event → row). */
  lagTargetMs: number;
  schemaVersion: number;
  projectorVersion: string;
};

export const viewCatalog: Record<ViewName, ViewSpec> = {
  'order-tracking': {
    route: '/views/order-tracking/{orderId}',
    owner: 'oms-team',
    consumers: ['order operations', 'support', 'sales channels', 'partner portals'],
    lagTargetMs: 15_000,
    schemaVersion: 2,
    projectorVersion: 'order-tracking@2',
  },
  fallout: {
    route: '/views/fallout',
    owner: 'oms-ops',
    consumers: ['order operations', 'integration ops'],
    // requirements 003 §13 FalloutDashboardView
    lagTargetMs: 30_000,
    schemaVersion: 2,
    projectorVersion: 'order-tracking@2',
  },
  'approval-inbox': {
    route: '/views/approval-inbox',
    owner: 'deal-desk-platform',
    consumers: ['approvers', 'deal desk'],
    lagTargetMs: 10_000,
    schemaVersion: 2,
    projectorVersion: 'quote-summary@2',
  },
  'expiring-quotes': {
    route: '/views/expiring-quotes',
    owner: 'cpq-sales-ops',
    consumers: ['sellers', 'partner portals'],
    lagTargetMs: 300_000,
    schemaVersion: 2,
    projectorVersion: 'quote-summary@2',
  },
  'quote-worklist': {
    route: '/views/quote-worklist',
    owner: 'cpq-sales-ops',
    consumers: ['sellers', 'sales operations', 'partner portals'],
    // requirements 003 §13 QuoteWorklistView
    lagTargetMs: 30_000,
    schemaVersion: 2,
    projectorVersion: 'quote-summary@2',
  },
  'stale-approvals': {
    route: '/views/stale-approvals',
    owner: 'deal-desk-platform',
    consumers: ['approvers', 'deal desk', 'sales operations'],
    // requirements 003 §13 StaleApprovalView
    lagTargetMs: 30_000,
    schemaVersion: 2,
    projectorVersion: 'quote-summary@2',
  },
  'order-sla-risk': {
    route: '/views/order-sla-risk',
    owner: 'oms-ops',
    consumers: ['order operations', 'sales channels', 'partner portals'],
    // requirements 003 §13 OrderSlaRiskView
    lagTargetMs: 60_000,
    schemaVersion: 2,
    projectorVersion: 'order-tracking@2',
  },
  'account-timeline': {
    route: '/views/accounts/{accountId}/timeline',
    owner: 'customer-care',
    consumers: ['customer care', 'account managers', 'partner portals'],
    lagTargetMs: 120_000,
    schemaVersion: 2,
    projectorVersion: 'account-timeline@2',
  },
};

/**
 * The search index (requirements 003 §13 QuoteSearchIndex): owner, p95 lag target, and the schema
 * of its documents. A change of the documents or their index entries raises `schemaVersion`:
 * `ops rebuild-search` builds it as a new index version beside the old one (blue/green, §22.1).
 * Schema 2: each entry written once, the channel scope read from a GSI; documents compressed.
 */
export const searchIndexSpec = { owner: 'cpq-platform', lagTargetMs: 60_000, schemaVersion: 2 };

/** What a view's freshness says of the projection that answered: name, stored version, schema, code. */
export type ProjectionIdentity = {
  projection: ViewName;
  projectionVersion: number;
  schemaVersion: number;
  projectorVersion: string;
};

export const projectionIdentity = (
  view: ViewName,
  activeVersion: number,
  schemaVersion = viewCatalog[view].schemaVersion,
): ProjectionIdentity => ({
  projection: view,
  projectionVersion: activeVersion,
  schemaVersion,
  projectorVersion: viewCatalog[view].projectorVersion,
});
