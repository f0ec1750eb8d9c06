-- Order submit success rate (requirements 003 §14.2): order submissions accepted (orders created)
-- over submissions (created plus every submission refused with a domain code) in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
attempts AS (
  SELECT 1 AS ok FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'CREATED' AND CAST(o.dt AS DATE) BETWEEN b.from_date AND b.to_date
  UNION ALL
  SELECT 0 FROM fact_command_refusal r CROSS JOIN bounds b
  WHERE r.operation = 'order-create' AND CAST(r.dt AS DATE) BETWEEN b.from_date AND b.to_date
)
SELECT
  COUNT(*) AS attempts,
  COALESCE(SUM(ok), 0) AS accepted,
  CASE WHEN COUNT(*) = 0 THEN NULL ELSE CAST(SUM(ok) AS DOUBLE) / COUNT(*) END AS value
FROM attempts
