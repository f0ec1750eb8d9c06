-- Fallout rate (requirements 003 §14.2): orders submitted (created) in the period that fell out
-- (held for repair, or a fulfillment task failed) over orders submitted in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
created AS (
  SELECT DISTINCT o.order_id FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'CREATED' AND CAST(o.dt AS DATE) BETWEEN b.from_date AND b.to_date
),
fallout AS (
  SELECT o.order_id FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'STATE_CHANGED' AND o.to_state = 'held' AND CAST(o.dt AS DATE) >= b.from_date
  UNION
  SELECT t.order_id FROM fact_order_fulfillment_task t CROSS JOIN bounds b
  WHERE t.outcome = 'FAILED' AND CAST(t.dt AS DATE) >= b.from_date
)
SELECT
  COUNT(*) AS orders,
  SUM(CASE WHEN f.order_id IS NULL THEN 0 ELSE 1 END) AS orders_in_fallout,
  CASE WHEN COUNT(*) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN f.order_id IS NULL THEN 0 ELSE 1 END) AS DOUBLE) / COUNT(*) END AS value
FROM created c LEFT JOIN (SELECT DISTINCT order_id FROM fallout) f ON f.order_id = c.order_id
