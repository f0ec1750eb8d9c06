-- Fulfillment lead time (requirements 003 §14.2), from the facts: first task dispatched → billing
-- handoff done, in seconds, over orders whose billing handoff completed in the period.
WITH bounds AS (
  SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date
),
fulfilled AS (
  SELECT f.order_id
  FROM fact_order_fulfillment_task f
  CROSS JOIN bounds b
  WHERE f.task_type = 'BILLING_HANDOFF' AND f.outcome = 'DONE'
    AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
),
lead AS (
  SELECT t.order_id, MAX(t.completed_epoch_seconds) - MIN(t.started_epoch_seconds) AS seconds
  FROM fact_order_fulfillment_task t
  JOIN fulfilled o ON o.order_id = t.order_id
  WHERE t.outcome = 'DONE'
  GROUP BY t.order_id
)
SELECT
  COUNT(*) AS orders,
  AVG(CAST(seconds AS DOUBLE)) AS value,
  MAX(seconds) AS max_seconds
FROM lead
