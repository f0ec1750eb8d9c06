/**
 * The reporting facts (requirements 003 §7.1) as data: one schema read by the fact mapper, the Glue
 * tables in AWS and the DuckDB views locally. Amounts are major currency units; one-time and
 * recurring never mix. Discounts keep their meaning (§7.2): one column per kind of discount,
 * and `discount_amount` is their sum for the recurring charge.
 */
export type ColumnType = 'string' | 'bigint' | 'double' | 'boolean';

export const factTables = {
  fact_quote_line_price: {
    description:
      'One row per quote line each time a quote is priced (PRICED) and when it is accepted (ACCEPTED)',
    columns: {
      quote_id: 'string',
      quote_revision: 'bigint',
      quote_line_id: 'string',
      fact_kind: 'string',
      account_id: 'string',
      product_offering_id: 'string',
      product_family: 'string',
      region: 'string',
      segment: 'string',
      channel: 'string',
      catalog_version: 'string',
      price_book_version: 'string',
      policy_version: 'string',
      currency: 'string',
      list_price_amount: 'double',
      list_one_time_amount: 'double',
      discount_percent: 'double',
      discount_amount: 'double',
      discount_line_discretionary_amount: 'double',
      discount_bundle_amount: 'double',
      discount_promotion_amount: 'double',
      discount_contract_adjustment_amount: 'double',
      discount_manual_override_amount: 'double',
      discount_renewal_incentive_amount: 'double',
      discount_partner_margin_adjustment_amount: 'double',
      discount_one_time_amount: 'double',
      net_price_amount: 'double',
      net_one_time_amount: 'double',
      margin_amount: 'double',
      approval_basis: 'string',
      price_input_hash: 'string',
      created_date_key: 'bigint',
      created_epoch_seconds: 'bigint',
      fact_epoch_seconds: 'bigint',
      approved_date_key: 'bigint',
      event_id: 'string',
      event_time: 'string',
    },
  },
  fact_order_fulfillment_task: {
    description: 'One row per fulfillment task each time it reaches an outcome (DONE, FAILED, CANCELLED)',
    columns: {
      order_id: 'string',
      order_item_id: 'string',
      task_id: 'string',
      task_type: 'string',
      task_action: 'string',
      downstream_system: 'string',
      product_family: 'string',
      region: 'string',
      channel: 'string',
      started_at: 'string',
      completed_at: 'string',
      started_epoch_seconds: 'bigint',
      completed_epoch_seconds: 'bigint',
      duration_seconds: 'double',
      outcome: 'string',
      fallout_reason_code: 'string',
      retry_count: 'bigint',
      query_count: 'bigint',
      unknown_outcome: 'boolean',
      billing_matches_contract: 'boolean',
      event_id: 'string',
      event_time: 'string',
    },
  },
  fact_quote_lifecycle: {
    description:
      'One row per quote milestone: created, lines configured, submitted, approval requested / decided / invalidated, rejected, cancelled',
    columns: {
      quote_id: 'string',
      quote_version: 'bigint',
      milestone: 'string',
      from_state: 'string',
      to_state: 'string',
      request_id: 'string',
      decision: 'string',
      reason_codes: 'string',
      cause: 'string',
      account_id: 'string',
      channel: 'string',
      region: 'string',
      segment: 'string',
      line_count: 'bigint',
      created_epoch_seconds: 'bigint',
      valid_until_epoch_seconds: 'bigint',
      valid_until_date: 'string',
      occurred_at: 'string',
      occurred_epoch_seconds: 'bigint',
      event_id: 'string',
      event_time: 'string',
    },
  },
  fact_order_lifecycle: {
    description:
      'One row per order milestone: created (from a quote, with the quote region), planned, state changed (fallout detected / recovered), repaired, cancellation',
    columns: {
      order_id: 'string',
      order_version: 'bigint',
      milestone: 'string',
      quote_id: 'string',
      account_id: 'string',
      channel: 'string',
      region: 'string',
      item_count: 'bigint',
      from_state: 'string',
      to_state: 'string',
      fallout_reason_code: 'string',
      cancellation_id: 'string',
      cancellation_state: 'string',
      repair_action: 'string',
      repair_reason_code: 'string',
      occurred_at: 'string',
      occurred_epoch_seconds: 'bigint',
      event_id: 'string',
      event_time: 'string',
    },
  },
  fact_command_refusal: {
    description:
      'One row per command refused with a domain code on the routes the KPIs measure (configuration, conversion, cancellation)',
    columns: {
      operation: 'string',
      code: 'string',
      aggregate_id: 'string',
      channel: 'string',
      occurred_at: 'string',
      occurred_epoch_seconds: 'bigint',
      event_id: 'string',
      event_time: 'string',
    },
  },
} as const satisfies Record<string, { description: string; columns: Record<string, ColumnType> }>;

export type FactTableName = keyof typeof factTables;
export const factTableNames = Object.keys(factTables) as FactTableName[];

type Value<T> = T extends 'string' ? string : T extends 'boolean' ? boolean : number;
export type FactRow<N extends FactTableName> = {
  [C in keyof (typeof factTables)[N]['columns']]: Value<(typeof factTables)[N]['columns'][C]> | null;
};

/** Date partition: the event's UTC date (`dt=YYYY-MM-DD`). */
export const partitionColumn = 'dt';
