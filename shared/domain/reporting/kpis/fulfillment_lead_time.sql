-- Fulfillment lead time (requirements 003 §14.2): seconds from the order's submission (order date)
-- to fulfilled (the order completed), over orders completed in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
completed AS (
  SELECT o.order_id, MIN(o.occurred_epoch_seconds) AS completed_s FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'STATE_CHANGED' AND o.to_state = 'completed'
    AND CAST(o.dt AS DATE) BETWEEN b.from_date AND b.to_date
  GROUP BY o.order_id
),
submitted AS (
  SELECT o.order_id, MIN(o.occurred_epoch_seconds) AS submitted_s FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'CREATED' AND CAST(o.dt AS DATE) >= b.lookback_date
  GROUP BY o.order_id
)
SELECT
  COUNT(*) AS orders,
  AVG(CAST(c.completed_s - s.submitted_s AS DOUBLE)) AS value,
  MAX(c.completed_s - s.submitted_s) AS max_seconds
FROM completed c JOIN submitted s ON s.order_id = c.order_id
