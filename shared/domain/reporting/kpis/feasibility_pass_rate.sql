-- Feasibility pass rate (requirements 003 §14.2): order items that decomposed into fulfillment
-- tasks (the feasibility check this service runs) over order items checked, for orders created in
-- the period whose decomposition ran.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
created AS (
  SELECT o.order_id, MAX(o.item_count) AS items FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'CREATED' AND CAST(o.dt AS DATE) BETWEEN b.from_date AND b.to_date
  GROUP BY o.order_id
),
checked AS (
  SELECT o.order_id,
         MAX(CASE WHEN o.milestone = 'STATE_CHANGED' AND o.fallout_reason_code = 'DECOMPOSITION_FAILED' THEN 1 ELSE 0 END) AS failed,
         MAX(CASE WHEN o.milestone = 'PLANNED' THEN 1 ELSE 0 END) AS planned
  FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE CAST(o.dt AS DATE) >= b.from_date
    AND (o.milestone = 'PLANNED' OR o.fallout_reason_code = 'DECOMPOSITION_FAILED')
  GROUP BY o.order_id
)
SELECT
  COALESCE(SUM(c.items), 0) AS checked_items,
  COALESCE(SUM(CASE WHEN k.planned = 1 AND k.failed = 0 THEN c.items ELSE 0 END), 0) AS feasible_items,
  CASE WHEN COALESCE(SUM(c.items), 0) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN k.planned = 1 AND k.failed = 0 THEN c.items ELSE 0 END) AS DOUBLE) / SUM(c.items) END AS value
FROM created c JOIN checked k ON k.order_id = c.order_id
