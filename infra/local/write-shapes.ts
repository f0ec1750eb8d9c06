/**
 * What one DynamoDB write request wrote, item by item: which table, which kind of item (the key's
 * leading words, ids left out) and how many bytes a put carried. The request recorder splits the
 * request's consumed write units over these so the bench can say where each unit went.
 */
export type WriteShape = { table: string; kind: string; bytes: number; transactional: boolean };

type Item = Record<string, unknown>;
type Action = { TableName?: string; Item?: Item; Key?: Item };

/** A key value's leading word: `ORDER#o-1#PAGE#2` -> `ORDER`, `PART#t-3` -> `PART`. */
const word = (value: unknown): string => {
  const text = String((value as { S?: string })?.S ?? value ?? '');
  const head = text.split('#')[0] ?? '';
  return /\d/.test(head) || head.length > 24 ? 'id' : head;
};

/** The item's kind: the leading words of its key attributes, named by attribute. */
export const kindOf = (key: Item): string =>
  Object.keys(key)
    .filter((k) => ['pk', 'sk', 'id'].includes(k))
    .sort()
    .map((k) => `${k}=${word(key[k])}`)
    .join(',');

const keyOf = (item: Item): Item =>
  Object.fromEntries(Object.entries(item).filter(([k]) => ['pk', 'sk', 'id'].includes(k)));

/** Binary values (packed documents) as the request carries them, base64, not as JSON numbers a byte. */
function asSent(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Uint8Array ? Buffer.from(raw).toString('base64') : value;
}

const shapeOf = (a: Action, transactional: boolean): WriteShape => ({
  table: String(a.TableName ?? '?'),
  kind: kindOf(a.Item ? keyOf(a.Item) : (a.Key ?? {})),
  bytes: a.Item ? Buffer.byteLength(JSON.stringify(a.Item, asSent), 'utf8') : 0,
  transactional,
});

/** The items one write request names; empty for a request that is no write. */
export const writeShapes = (command: string, input: Record<string, unknown>): WriteShape[] => {
  if (command === 'TransactWriteItemsCommand') {
    const items = (input.TransactItems ?? []) as Record<string, Action>[];
    return items.map((t) => shapeOf(Object.values(t)[0] ?? {}, true));
  }
  if (command === 'BatchWriteItemCommand') {
    const byTable = (input.RequestItems ?? {}) as Record<string, Record<string, Action>[]>;
    return Object.entries(byTable).flatMap(([table, requests]) =>
      requests.map((r) => shapeOf({ TableName: table, ...(r.PutRequest ?? r.DeleteRequest) }, false)),
    );
  }
  return [shapeOf(input as Action, false)];
};
