import { BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { TableSpec } from '#topology';
import {
  type ActionUnits,
  type Item,
  type TransactAction,
  totalUnits,
  transactActionUnits,
} from './write-billing.ts';

type Action = { TableName?: string; Item?: Item; Key?: Item };
type Target = { action: TransactAction; table: string; key: Item; spec: TableSpec };

const keyOf = (item: Item, spec: TableSpec): Item =>
  Object.fromEntries(
    [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])].map((k) => [k, item[k] as Item[string]]),
  );

/** A document client's request is not marshalled yet where the tally sees it: its key values are plain. */
const marshalled = (key: Item): Item =>
  Object.values(key).some((v) => typeof v !== 'object') ? marshall(key as Record<string, unknown>) : key;

const id = (table: string, key: Item) => `${table}\u0000${JSON.stringify(key)}`;

/**
 * Bills a `TransactWriteItems` as DynamoDB does (write-billing.ts): reads the items it names
 * before and after it runs, with a client of its own (the handlers' request tally does not see
 * these reads). Only for tables it knows; an unknown table leaves the transaction as reported.
 */
export class TransactionBilling {
  constructor(
    private readonly reader: DynamoDBClient,
    private readonly specOf: (physicalTable: string) => TableSpec | undefined,
  ) {}

  /** The actions of a transaction and the items they name as they are now; undefined when unknown. */
  async before(
    input: Record<string, unknown>,
  ): Promise<{ targets: Target[]; images: Map<string, Item> } | undefined> {
    const targets: Target[] = [];
    for (const entry of (input.TransactItems ?? []) as Record<string, Action>[]) {
      const [action, body] = Object.entries(entry)[0] ?? [];
      const table = String(body?.TableName ?? '');
      const spec = this.specOf(table);
      const key = body?.Key ?? (body?.Item && spec ? keyOf(body.Item, spec) : undefined);
      if (!spec || !key || !action) return undefined;
      targets.push({ action: action as TransactAction, table, key: marshalled(key), spec });
    }
    return { targets, images: await this.read(targets) };
  }

  /** The units the transaction was billed, from its items before and after. */
  async bill(plan: {
    targets: Target[];
    images: Map<string, Item>;
  }): Promise<{ units: number; actions: ActionUnits[] }> {
    const after = await this.read(plan.targets.filter((t) => t.action === 'Put' || t.action === 'Update'));
    const actions = plan.targets.map((t) =>
      transactActionUnits(
        t.action,
        plan.images.get(id(t.table, t.key)),
        after.get(id(t.table, t.key)),
        t.spec,
      ),
    );
    return { units: totalUnits(actions), actions };
  }

  private async read(targets: readonly Target[]): Promise<Map<string, Item>> {
    const images = new Map<string, Item>();
    let pending = targets.map((t) => ({ table: t.table, key: t.key }));
    while (pending.length > 0) {
      const chunk = pending.slice(0, 100);
      pending = pending.slice(100);
      const requestItems: Record<string, { Keys: Item[]; ConsistentRead: true }> = {};
      for (const { table, key } of chunk) {
        const entry = requestItems[table] ?? { Keys: [], ConsistentRead: true };
        requestItems[table] = entry;
        entry.Keys.push(key);
      }
      const out = await this.reader.send(new BatchGetItemCommand({ RequestItems: requestItems }));
      for (const [table, items] of Object.entries(out.Responses ?? {}))
        for (const item of items) {
          const spec = this.specOf(table);
          if (spec) images.set(id(table, keyOf(item, spec)), item);
        }
      for (const [table, left] of Object.entries(out.UnprocessedKeys ?? {}))
        for (const key of left.Keys ?? []) pending.push({ table, key });
    }
    return images;
  }
}
