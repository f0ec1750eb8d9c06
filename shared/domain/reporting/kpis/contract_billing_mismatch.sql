-- Contract-billing mismatch (requirements 003 §14.3): billing handoffs acknowledged in the period
-- whose billed terms differ from the order's accepted quote (package hash or any item's committed
-- price and versions), with the rate over the handoffs checked.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
handoffs AS (
  SELECT t.order_id, t.billing_matches_contract AS matches FROM fact_order_fulfillment_task t CROSS JOIN bounds b
  WHERE t.task_type = 'BILLING_HANDOFF' AND t.outcome = 'DONE' AND t.billing_matches_contract IS NOT NULL
    AND CAST(t.dt AS DATE) BETWEEN b.from_date AND b.to_date
)
SELECT
  COUNT(*) AS checked_handoffs,
  COALESCE(SUM(CASE WHEN matches THEN 0 ELSE 1 END), 0) AS value,
  CASE WHEN COUNT(*) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN matches THEN 0 ELSE 1 END) AS DOUBLE) / COUNT(*) END AS mismatch_rate
FROM handoffs
