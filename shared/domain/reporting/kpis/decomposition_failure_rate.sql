-- Decomposition failure rate (requirements 003 §14.2): orders created in the period whose
-- decomposition failed (fallout DECOMPOSITION_FAILED) over orders created in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
created AS (
  SELECT DISTINCT o.order_id FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'CREATED' AND CAST(o.dt AS DATE) BETWEEN b.from_date AND b.to_date
),
failed AS (
  SELECT DISTINCT o.order_id FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.fallout_reason_code = 'DECOMPOSITION_FAILED' AND CAST(o.dt AS DATE) >= b.from_date
)
SELECT
  COUNT(*) AS submitted_orders,
  SUM(CASE WHEN f.order_id IS NULL THEN 0 ELSE 1 END) AS decomposition_failed,
  CASE WHEN COUNT(*) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN f.order_id IS NULL THEN 0 ELSE 1 END) AS DOUBLE) / COUNT(*) END AS value
FROM created c LEFT JOIN failed f ON f.order_id = c.order_id
