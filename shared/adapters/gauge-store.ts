import {
  BatchGetCommand,
  PutCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { GaugeContribution } from '#domain/projections/gauges';
import type { ViewName } from '#domain/projections/views';
import { documentClient } from '#plumbing/clients';
import { env } from '#plumbing/env';

/**
 * Gauge items in the read-model table, all under pk `GAUGES` (no `view` attribute: never in the
 * byView index). Per projection version, sk `<view>#v<n>` holds one numeric attribute per gauge
 * key, changed only by ADD in the transaction that writes the row (read-model-store putRow).
 * Summary items (sk `projection-lag`, `reconciliation`, `sampled`) are replaced whole by their
 * one writer. A row write changes a gauge only when the row's contribution changes (a fallout
 * opens or closes, a task enters or leaves UNKNOWN), so the single partition stays cool.
 */
const table = () => env.table('readModels');
const gaugesPk = 'GAUGES';
export const viewGaugeKey = (view: ViewName, version: number) => ({
  pk: gaugesPk,
  sk: `${view}#v${version}`,
});

export type SummaryGauge = 'projection-lag' | 'reconciliation' | 'sampled';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The ADD of a delta, to go into the same transaction as the row write. */
export const gaugeUpdate = (view: ViewName, version: number, delta: GaugeContribution): TransactItem => {
  const entries = Object.entries(delta);
  return {
    Update: {
      TableName: table(),
      Key: viewGaugeKey(view, version),
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
  views: Partial<Record<ViewName, GaugeContribution>>;
  summaries: Partial<Record<SummaryGauge, Record<string, unknown>>>;
};

/** One BatchGet: the gauges of the given view versions and the summary items. */
export const readGauges = async (
  views: { view: ViewName; version: number }[],
  summaries: SummaryGauge[],
): Promise<GaugeSnapshot> => {
  const keys = [
    ...views.map((v) => viewGaugeKey(v.view, v.version)),
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
      views.map((v) => [v.view, numericOnly(bySk.get(viewGaugeKey(v.view, v.version).sk))]),
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
export const removeEmptyGaugeKeys = async (
  view: ViewName,
  version: number,
  keys: string[],
): Promise<number> => {
  let removed = 0;
  for (let i = 0; i < keys.length; i += 50) {
    const chunk = keys.slice(i, i + 50);
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: table(),
          Key: viewGaugeKey(view, version),
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
