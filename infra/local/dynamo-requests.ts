import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { invocationScope } from './invocation-scope.ts';
import type { TransactionBilling } from './transaction-billing.ts';
import type { ActionUnits } from './write-billing.ts';
import { writeShapes } from './write-shapes.ts';

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

const readCommands = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);

export type DynamoTally = {
  requests: number;
  rru: number;
  wru: number;
  byCommand: Record<string, number>;
  /** Items the reads returned, by table (a list must not read more items than it returns). */
  itemsRead: Record<string, number>;
  /** Write units by the Lambda function that spent them. */
  wruByFunction: Record<string, number>;
  /** Write units by `<function> <table> <item kind>` (tx: in a transaction), with writes and bytes. */
  writesByKind: Record<string, KindTally>;
};
export type KindTally = { wru: number; writes: number; bytes: number };
export const emptyTally = (): DynamoTally => ({
  requests: 0,
  rru: 0,
  wru: 0,
  byCommand: {},
  itemsRead: {},
  wruByFunction: {},
  writesByKind: {},
});

type ReadOutput = {
  Item?: unknown;
  Items?: unknown[];
  Responses?: Record<string, unknown[]> | unknown[];
};

/** Items one read returned, by table (a transactional read names no table in its answer). */
const itemsOf = (input: Record<string, unknown>, output: unknown): [string, number][] => {
  const out = (output ?? {}) as ReadOutput;
  const table = String(input.TableName ?? 'transaction');
  if (Array.isArray(out.Responses)) return [[table, out.Responses.length]];
  if (out.Responses) return Object.entries(out.Responses).map(([t, items]) => [t, items.length]);
  if (out.Items) return [[table, out.Items.length]];
  return [[table, out.Item ? 1 : 0]];
};

const units = (consumed: Capacity | Capacity[] | undefined): number =>
  [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);

/** A failed read for the bill leaves the request as DynamoDB Local reported it, and says so. */
const billingFailed = (error: unknown): undefined => {
  process.stderr.write(`transaction billing: reported units kept (${String(error)})\n`);
  return undefined;
};

/** Request scopes kept (newest), enough for any test or bench step to read its own back. */
const keptScopes = 2000;

/**
 * Counts every request the handlers' DynamoDB client sends (one per `send`, the SDK's own retries
 * inside it) and the capacity it consumed, in a global tally and in one tally per request scope
 * (`scopeOf()`: the API request's correlation id), so a test or the bench can read what one
 * command cost. A refused request counts too: DynamoDB reports no capacity with the error, so it
 * adds a request but no units.
 */
export class DynamoRequests {
  readonly global = emptyTally();
  private readonly scoped = new Map<string, DynamoTally>();

  /**
   * `billing`: transactions are billed as DynamoDB bills them (transaction-billing.ts) instead of
   * as DynamoDB Local reports them; it reads each item a transaction names twice, so the bench
   * turns it on and the tests of request counts need not.
   */
  constructor(
    client: DynamoDBClient,
    private readonly scopeOf: () => string | undefined,
    billing?: TransactionBilling,
  ) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        // Indexes included: a GSI write is billed like a table write.
        if (!('ReturnConsumedCapacity' in input)) input.ReturnConsumedCapacity = 'INDEXES';
        const command = String(context.commandName);
        const plan =
          billing && command === 'TransactWriteItemsCommand'
            ? await billing.before(input).catch(billingFailed)
            : undefined;
        try {
          const result = await next(args);
          const billed = plan && billing ? await billing.bill(plan).catch(billingFailed) : undefined;
          this.count(command, result.output, input, billed);
          return result;
        } catch (error) {
          this.count(command, undefined, input);
          throw error;
        }
      },
      { step: 'initialize', name: 'localDynamoRequests' },
    );
  }

  /** Starts (again) counting the requests of one scope, e.g. before the bench sends a command. */
  watch(scope: string): DynamoTally {
    const tally = emptyTally();
    this.scoped.delete(scope);
    this.scoped.set(scope, tally);
    return tally;
  }

  /** What the requests of this scope cost so far; undefined when none was sent (or long ago). */
  of(scope: string): DynamoTally | undefined {
    return this.scoped.get(scope);
  }

  private count(
    command: string,
    output: unknown,
    input: Record<string, unknown>,
    billed?: { units: number; actions: ActionUnits[] },
  ): void {
    const consumed =
      billed?.units ??
      units((output as { ConsumedCapacity?: Capacity | Capacity[] } | undefined)?.ConsumedCapacity);
    const scope = this.scopeOf();
    let own = scope ? this.scoped.get(scope) : undefined;
    if (scope && !own) {
      own = this.watch(scope);
      if (this.scoped.size > keptScopes) this.scoped.delete(this.scoped.keys().next().value as string);
    }
    for (const tally of [this.global, own]) {
      if (!tally) continue;
      tally.requests++;
      tally.byCommand[command] = (tally.byCommand[command] ?? 0) + 1;
      if (readCommands.has(command)) {
        tally.rru += consumed;
        for (const [table, n] of itemsOf(input, output))
          tally.itemsRead[table] = (tally.itemsRead[table] ?? 0) + n;
      } else {
        tally.wru += consumed;
        const fn = invocationScope.getStore() ?? 'other';
        tally.wruByFunction[fn] = (tally.wruByFunction[fn] ?? 0) + consumed;
        spreadOverKinds(tally.writesByKind, fn, command, input, consumed, billed?.actions);
      }
    }
  }
}

/**
 * Splits a write's consumed units over the items it names: as billed per action when known,
 * otherwise by their estimated units (1 KB steps).
 */
const spreadOverKinds = (
  into: Record<string, KindTally>,
  fn: string,
  command: string,
  input: Record<string, unknown>,
  consumed: number,
  actions?: ActionUnits[],
): void => {
  const shapes = writeShapes(command, input);
  const estimate = shapes.map((s, i) => {
    const billed = actions?.[i];
    if (billed) return billed.table + Object.values(billed.indexes).reduce((a, b) => a + b, 0);
    return Math.max(1, Math.ceil(s.bytes / 1024)) * (s.transactional ? 2 : 1);
  });
  const total = estimate.reduce((a, b) => a + b, 0) || 1;
  shapes.forEach((s, i) => {
    const key = `${fn} ${s.table} ${s.kind}${s.transactional ? ' tx' : ''} ${command.replace('Command', '')}`;
    const kind = into[key] ?? { wru: 0, writes: 0, bytes: 0 };
    into[key] = kind;
    kind.wru += (consumed * (estimate[i] ?? 0)) / total;
    kind.writes++;
    kind.bytes = Math.max(kind.bytes, s.bytes);
  });
};
