import { canonicalHash } from '#domain/quote/canonical-hash';
import type { Quote } from '#domain/quote/quote-types';
import { quoteEvidenceRecords } from './evidence-records.ts';

/**
 * The audit evidence of a quote (requirements 003 §17): what was calculated and with which rule,
 * catalog, price book and policy versions; who approved what; the accepted commercial
 * commitment with its hash recomputed; what changed after acceptance. Read from the source
 * aggregate, whose approval, decision and acceptance records are append-only.
 */
export const quoteEvidence = (quote: Quote, conversion: { orderId: string } | undefined) => {
  const links = quoteEvidenceRecords(quote).map((r) => r.link);
  const snapshot = quote.priceSnapshot;
  const acceptance = quote.acceptance;
  const currentSnapshotHash = snapshot ? canonicalHash(snapshot) : undefined;
  const changesAfterAcceptance = acceptance
    ? [
        ...(currentSnapshotHash !== acceptance.snapshotHash
          ? [
              {
                change: 'PRICE_SNAPSHOT',
                detail: 'the stored snapshot no longer hashes to the accepted package hash',
              },
            ]
          : []),
        ...(quote.state !== 'accepted'
          ? [{ change: 'STATE', detail: `quote is ${quote.state} after acceptance` }]
          : []),
        ...quote.approval.invalidations
          .filter((i) => i.at > acceptance.acceptedAt)
          .map((i) => ({ change: 'APPROVAL_INVALIDATED', detail: `${i.cause} at ${i.at}` })),
      ]
    : [];
  return {
    businessObject: {
      type: 'Quote',
      id: quote.id,
      version: quote.version,
      state: quote.state,
      channelId: quote.channelId,
    },
    customer: {
      accountId: quote.customer.accountId,
      name: quote.customer.name,
      region: quote.customer.region,
    },
    calculation: snapshot
      ? {
          currency: snapshot.currency,
          inputHash: snapshot.inputHash,
          pricedAt: quote.pricedAt,
          totals: snapshot.totals,
          lines: snapshot.lines,
          trace: snapshot.trace,
        }
      : null,
    versions: {
      catalogVersion: snapshot?.catalogVersion ?? null,
      priceBookVersion: snapshot?.priceBookVersion ?? null,
      policyVersion: snapshot?.policyVersion ?? acceptance?.policyVersion ?? null,
      configuration: quote.lines.map((l) => ({
        lineId: l.lineId,
        offeringId: l.offeringId,
        catalogVersion: l.catalogVersion,
        ruleSetVersion: l.configuration.ruleSetVersion,
        status: l.configuration.status,
        rulesEvaluated: l.configuration.rulesEvaluated,
      })),
    },
    approvals: {
      requests: quote.approval.requests,
      decisions: quote.approval.decisions.map((d) => ({
        id: d.id,
        requestId: d.requestId,
        decision: d.decision,
        decidedBy: d.actor.principalId,
        role: d.actor.role,
        at: d.at,
        fingerprint: d.fingerprint,
        policyVersion: d.policyVersion,
        comment: d.comment ?? null,
      })),
      invalidations: quote.approval.invalidations,
      grant: quote.approval.grant ?? null,
    },
    acceptance: acceptance
      ? {
          ...acceptance,
          acceptedPackageHash: acceptance.snapshotHash,
          recomputedHash: currentSnapshotHash ?? null,
          hashVerified: currentSnapshotHash === acceptance.snapshotHash,
        }
      : null,
    changesAfterAcceptance,
    order: conversion ? { orderId: conversion.orderId, audit: `/audit/orders/${conversion.orderId}` } : null,
    evidence: links,
  };
};
