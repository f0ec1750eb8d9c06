-- Unknown outcome count (requirements 003 §14.2): tasks whose downstream result was uncertain (a
-- timeout after the side effect was sent) before they reached an outcome in the period.
WITH bounds AS (
  SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date
)
SELECT
  COUNT(DISTINCT CASE WHEN f.unknown_outcome THEN f.order_id || '/' || f.task_id END) AS value,
  COUNT(DISTINCT f.order_id || '/' || f.task_id) AS tasks
FROM fact_order_fulfillment_task f
CROSS JOIN bounds b
WHERE CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
