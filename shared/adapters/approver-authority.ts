import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '#domain/actor';
import { approverKeyOf } from '#domain/quote/approver-record';
import { documentClient } from '#plumbing/clients';
import { isDependencyOutage } from '#plumbing/dependency-outage';
import { env } from '#plumbing/env';
import { DependencyUnavailable } from '#plumbing/http/http-error';

/**
 * The source of record of an approver's authority: one item per approver in the aggregates
 * table (`APPROVER#<sub>`), read when a decision is made. A token's claim is cached with the
 * authorizer result; this item is not, so a lowered or revoked limit applies to the next decision.
 */
/** The actor with the limit of record (none recorded: no authority, whatever the token claims). */
export const withAuthorityOfRecord = async (actor: Actor): Promise<Actor> => {
  const res = await documentClient()
    .send(
      new GetCommand({
        TableName: env.table('aggregates'),
        Key: approverKeyOf(actor.principalId),
        ConsistentRead: true,
      }),
    )
    .catch(async (error: unknown) => {
      if (await isDependencyOutage(error))
        throw new DependencyUnavailable('Approver authority cannot be read', 'APPROVAL_UNVERIFIABLE');
      throw error;
    });
  const limit = res.Item?.approvalLimitPercent;
  const { approvalLimitPercent: _claimed, ...rest } = actor;
  return typeof limit === 'number' && limit > 0 && limit <= 100
    ? { ...rest, approvalLimitPercent: limit }
    : rest;
};
