import type { Actor } from '#domain/actor';
import type { OptionValue } from '#domain/catalog/catalog-release';
import { DomainError } from '#domain/errors';
import { percentFromBasisPoints } from '#domain/money';
import { canonicalHash } from '#domain/quote/canonical-hash';

export const POLICY_VERSION = 'deal-policy-1';
/** deal-policy-1 thresholds, in basis points: ≤ floor auto-approves, ≤ ceiling needs approval. */
export const AUTO_APPROVAL_FLOOR_BP = 1_000;
export const POLICY_CEILING_BP = 4_000;
export const APPROVAL_DUE_HOURS = 24;

export type ApprovalReasonCode = 'DISCOUNT_ABOVE_FLOOR';

export type PolicyLine = { lineId: string; discountBasisPoints: number };

export type PolicyOutcome =
  | { outcome: 'AUTO_APPROVED'; policyVersion: string }
  | {
      outcome: 'APPROVAL_REQUIRED';
      policyVersion: string;
      reasonCodes: ApprovalReasonCode[];
      lineIds: string[];
    }
  | { outcome: 'POLICY_VIOLATION'; policyVersion: string; lineIds: string[] };

export function evaluateDealPolicy(lines: readonly PolicyLine[]): PolicyOutcome {
  const policyVersion = POLICY_VERSION;
  const violating = lines.filter((l) => l.discountBasisPoints > POLICY_CEILING_BP).map((l) => l.lineId);
  if (violating.length > 0) return { outcome: 'POLICY_VIOLATION', policyVersion, lineIds: violating };
  const aboveFloor = lines.filter((l) => l.discountBasisPoints > AUTO_APPROVAL_FLOOR_BP).map((l) => l.lineId);
  if (aboveFloor.length > 0) {
    return {
      outcome: 'APPROVAL_REQUIRED',
      policyVersion,
      reasonCodes: ['DISCOUNT_ABOVE_FLOOR'],
      lineIds: aboveFloor,
    };
  }
  return { outcome: 'AUTO_APPROVED', policyVersion };
}

/** Every price-relevant input an approval covers. */
export type FingerprintInput = {
  currency: string;
  priceBookVersion: string | null;
  policyVersion: string;
  lines: {
    lineId: string;
    offeringId: string;
    quantity: number;
    options: Record<string, OptionValue>;
    discountBasisPoints: number;
  }[];
};

type PriceRelevantLine = FingerprintInput['lines'][number];

/** The price-relevant inputs of each line: what both the pricing hash and the fingerprint cover. */
export const priceRelevantLines = (lines: readonly PriceRelevantLine[]): PriceRelevantLine[] =>
  lines.map((l) => ({
    lineId: l.lineId,
    offeringId: l.offeringId,
    quantity: l.quantity,
    options: l.options,
    discountBasisPoints: l.discountBasisPoints,
  }));

export function approvalFingerprint(input: FingerprintInput): string {
  return canonicalHash({
    currency: input.currency,
    priceBookVersion: input.priceBookVersion,
    policyVersion: input.policyVersion,
    lines: priceRelevantLines(input.lines),
  });
}

export const maxDiscountBasisPoints = (lines: readonly PolicyLine[]): number =>
  lines.reduce((max, l) => Math.max(max, l.discountBasisPoints), 0);

/**
 * Authority is checked when the decision is made, not when the request was routed. Only the
 * approver role decides: ops repairs orders, it does not grant commercial discounts.
 */
export function assertApprovalAuthority(actor: Actor, lines: readonly PolicyLine[]): void {
  const required = maxDiscountBasisPoints(lines);
  if (actor.role !== 'approver') {
    throw new DomainError('AUTHORITY_EXCEEDED', `role ${actor.role} cannot decide approvals`, {
      role: actor.role,
      requiredPercent: percentFromBasisPoints(required),
    });
  }
  if ((actor.approvalLimitPercent ?? 0) < percentFromBasisPoints(required)) {
    throw new DomainError('AUTHORITY_EXCEEDED', 'discount is above the approver limit', {
      approvalLimitPercent: actor.approvalLimitPercent ?? 0,
      requiredPercent: percentFromBasisPoints(required),
    });
  }
}

export const approvalDueAt = (submittedAt: string): string =>
  new Date(Date.parse(submittedAt) + APPROVAL_DUE_HOURS * 3_600_000).toISOString();
