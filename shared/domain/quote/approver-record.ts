import type { Actor } from '#domain/actor';

/**
 * An approver's authority of record: one item per approver in the aggregates table
 * (`APPROVER#<sub>`, read with the quote in the command's one batch read). A token's claim is
 * cached with the authorizer result; this item is not, so a lowered or revoked limit applies to
 * the next decision. Written by the local stack's seed, in AWS by the approvers' administrators.
 */
export type ApproverRecord = { approvalLimitPercent: number };

export const approverItem = (principalId: string, approvalLimitPercent: number) => ({
  pk: `APPROVER#${principalId}`,
  sk: 'A',
  itemType: 'approver',
  version: 1,
  data: { approvalLimitPercent } satisfies ApproverRecord,
});

/** The actor with the limit of record; none recorded means no authority, whatever the token claims. */
export const withAuthorityOfRecord = (actor: Actor, record: Partial<ApproverRecord> | undefined): Actor => {
  const { approvalLimitPercent: _claimed, ...rest } = actor;
  const limit = record?.approvalLimitPercent;
  return typeof limit === 'number' && limit > 0 && limit <= 100
    ? { ...rest, approvalLimitPercent: limit }
    : rest;
};
