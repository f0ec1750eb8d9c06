import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { initialSearchPointer, type SearchPointer, searchPointerKey } from '#domain/search/search-versions';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/** The search index's version pointer (its alias), one item in the search table. */
const key = searchPointerKey;

export type StoredSearchPointer = SearchPointer & { exists: boolean };

export const loadSearchPointer = async (): Promise<StoredSearchPointer> => {
  const res = await documentClient().send(
    new GetCommand({ TableName: env.table('search'), Key: key, ConsistentRead: true }),
  );
  if (!res.Item) return { ...initialSearchPointer, exists: false };
  const { active, building, previous, switchedAt, schemas } = res.Item as SearchPointer;
  return {
    active,
    ...(building !== undefined ? { building } : {}),
    ...(previous !== undefined ? { previous } : {}),
    ...(switchedAt ? { switchedAt } : {}),
    ...(schemas ? { schemas } : {}),
    exists: true,
  };
};

/** Replaces the pointer only if it is still what the caller read (two operators cannot both switch). */
export const saveSearchPointer = async (
  next: SearchPointer,
  expected: StoredSearchPointer,
): Promise<void> => {
  const { exists: _e, ...item } = next as StoredSearchPointer;
  await documentClient().send(
    new PutCommand({
      TableName: env.table('search'),
      Item: { ...key, ...item },
      ConditionExpression: expected.exists
        ? 'active = :active AND (attribute_not_exists(building) OR building = :building)'
        : 'attribute_not_exists(pk)',
      ExpressionAttributeValues: expected.exists
        ? { ':active': expected.active, ':building': expected.building ?? -1 }
        : undefined,
    }),
  );
};
