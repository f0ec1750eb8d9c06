import {
  BatchGetCommand,
  PutCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { shardOf, shardSuffixes } from '#domain/access/list-keys';
import type { GaugeContribution } from '#domain/projections/gauges';
import type { ViewName } from '#domain/projections/views';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/**
 * Gauge items in the read-model table, all under pk `GAUGES` (no `view` attribute: never in the
 * byView index). Per projection version, the gauges are write-sharded like the lists: sk
 * `<view>#v<n>#<shard>` (the row's shard) holds one numeric attribute per gauge key, changed only
 * by ADD in the transaction that writes the row (read-model-store putRow), so concurrent row
 * writes rarely meet on one item; a reader sums the shards (and the unsharded `<view>#v<n>` item
 * written before gauges were sharded).
 * Summary items (sk `projection-lag`, `reconciliation`, `sampled`) are replaced whole by their
 * one writer. A row write changes a gauge only when the row's contribution changes (a fallout
 * opens or closes, a task enters or leaves UNKNOWN), so the single partition stays cool.
 */
const table = () => env.table('readModels');
const gaugesPk = 'GAUGES';
export const viewGaugeKey = (view: ViewName, version: number, shard?: string) => ({
  pk: gaugesPk,
  sk: shard === undefined ? `${view}#v${version}` : `${view}#v${version}#${shard}`,
});
/** Every item a view version's gauges may live in: the unsharded one and each shard. */
const gaugeItemKeys = (view: ViewName, version: number) => [
  viewGaugeKey(view, version),
  ...shardSuffixes.map((s) => viewGaugeKey(view, version, s)),
];

export type SummaryGauge = 'projection-lag' | 'reconciliation' | 'sampled';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The ADD of a row's delta to its shard's item, to go into the same transaction as the row write. */
export const gaugeUpdate = (
  view: ViewName,
  version: number,
  rowId: string,
  delta: GaugeContribution,
): TransactItem => {
  const entries = Object.entries(delta);
  return {
    Update: {
      TableName: table(),
      Key: viewGaugeKey(view, version, shardSuffixes[shardOf(rowId)]),
      UpdateExpression: `ADD ${entries.map((_, i) => `#g${i} :d${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#g${i}`, k])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, d], i) => [`:d${i}`, d])),
    },
  };
};

export const putSummaryGauge = async (name: SummaryGauge, data: Record<string, unknown>): Promise<void> => {
  await documentClient().send(
    new PutCommand({ TableName: table(), Item: { pk: gaugesPk, sk: name, ...data } }),
  );
};

const numericOnly = (item: Record<string, unknown> | undefined): GaugeContribution =>
  Object.fromEntries(
    Object.entries(item ?? {}).filter(([, v]) => typeof v === 'number'),
  ) as GaugeContribution;

export type GaugeSnapshot = {
  /** Per view, its gauges summed over the items. */
  views: Partial<Record<ViewName, GaugeContribution>>;
  /** Per view, each stored item's own gauges (what the sampler prunes). */
  items: Partial<Record<ViewName, { sk: string; gauges: GaugeContribution }[]>>;
  summaries: Partial<Record<SummaryGauge, Record<string, unknown>>>;
};

const sum = (items: GaugeContribution[]): GaugeContribution => {
  const total: GaugeContribution = {};
  for (const item of items) for (const [k, v] of Object.entries(item)) total[k] = (total[k] ?? 0) + v;
  return total;
};

/** One BatchGet (nine items per view; at most 100 keys): the gauges of the given view versions and the summary items. */
export const readGauges = async (
  views: { view: ViewName; version: number }[],
  summaries: SummaryGauge[],
): Promise<GaugeSnapshot> => {
  const keys = [
    ...views.flatMap((v) => gaugeItemKeys(v.view, v.version)),
    ...summaries.map((sk) => ({ pk: gaugesPk, sk })),
  ];
  const res = await documentClient().send(
    new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys, ConsistentRead: true } } }),
  );
  const bySk = new Map(
    (res.Responses?.[table()] ?? []).map((i) => [String(i.sk), i as Record<string, unknown>]),
  );
  return {
    views: Object.fromEntries(
      views.map((v) => [
        v.view,
        sum(gaugeItemKeys(v.view, v.version).map((k) => numericOnly(bySk.get(k.sk)))),
      ]),
    ),
    items: Object.fromEntries(
      views.map((v) => [
        v.view,
        gaugeItemKeys(v.view, v.version)
          .filter((k) => bySk.has(k.sk))
          .map((k) => ({ sk: k.sk, gauges: numericOnly(bySk.get(k.sk)) })),
      ]),
    ),
    summaries: Object.fromEntries(
      summaries
        .filter((s) => bySk.has(s))
        .map((s) => {
          const { pk: _pk, sk: _sk, ...data } = bySk.get(s)!;
          return [s, data];
        }),
    ),
  };
};

/**
 * Removes gauge keys that count nothing (e.g. an hour no row is in any more), only while they
 * still count nothing: a row write adding to one meanwhile fails the condition and keeps it.
 */
export const removeEmptyGaugeKeys = async (sk: string, keys: string[]): Promise<number> => {
  let removed = 0;
  for (let i = 0; i < keys.length; i += 50) {
    const chunk = keys.slice(i, i + 50);
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: table(),
          Key: { pk: gaugesPk, sk },
          UpdateExpression: `REMOVE ${chunk.map((_, j) => `#g${j}`).join(', ')}`,
          ConditionExpression: chunk.map((_, j) => `#g${j} = :zero`).join(' AND '),
          ExpressionAttributeNames: Object.fromEntries(chunk.map((k, j) => [`#g${j}`, k])),
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      );
      removed += chunk.length;
    } catch (error) {
      if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  return removed;
};
