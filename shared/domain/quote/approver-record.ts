/** Key of an approver's authority of record in the aggregates table (adapters/approver-authority.ts). */
export const approverKeyOf = (principalId: string) => ({ pk: `APPROVER#${principalId}`, sk: 'A' });

/** The item of record (written by the local stack's seed, in AWS by the approvers' administrators). */
export const approverItem = (principalId: string, approvalLimitPercent: number) => ({
  ...approverKeyOf(principalId),
  itemType: 'approver',
  approvalLimitPercent,
});
