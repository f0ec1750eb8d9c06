-- Fallout rate (requirements 003 §14.2): orders with a task that failed, over orders with any task
-- outcome in the period.
WITH bounds AS (
  SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date
),
orders AS (
  SELECT f.order_id, MAX(CASE WHEN f.outcome = 'FAILED' THEN 1 ELSE 0 END) AS failed
  FROM fact_order_fulfillment_task f
  CROSS JOIN bounds b
  WHERE CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
  GROUP BY f.order_id
)
SELECT
  COUNT(*) AS orders,
  COALESCE(SUM(failed), 0) AS orders_in_fallout,
  CASE WHEN COUNT(*) = 0 THEN NULL ELSE CAST(SUM(failed) AS DOUBLE) / COUNT(*) END AS value
FROM orders
