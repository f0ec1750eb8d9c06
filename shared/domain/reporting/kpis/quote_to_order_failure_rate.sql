-- Quote-to-order failure rate (requirements 003 §14.1): conversions refused at the boundary (the
-- quote not accepted, expired, already converted, or the order not matching it) over attempted
-- conversions (orders created plus those refusals) in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
attempts AS (
  SELECT 'CONVERTED' AS result FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'CREATED' AND CAST(o.dt AS DATE) BETWEEN b.from_date AND b.to_date
  UNION ALL
  SELECT r.code FROM fact_command_refusal r CROSS JOIN bounds b
  WHERE r.operation = 'order-create'
    AND r.code IN ('QUOTE_NOT_ACCEPTED', 'QUOTE_EXPIRED', 'QUOTE_ALREADY_CONVERTED', 'ORDER_QUOTE_MISMATCH', 'CATALOG_INCOMPATIBLE')
    AND CAST(r.dt AS DATE) BETWEEN b.from_date AND b.to_date
)
SELECT
  COUNT(*) AS attempts,
  SUM(CASE WHEN result = 'CONVERTED' THEN 0 ELSE 1 END) AS failed,
  SUM(CASE WHEN result = 'QUOTE_ALREADY_CONVERTED' THEN 1 ELSE 0 END) AS already_converted,
  SUM(CASE WHEN result = 'ORDER_QUOTE_MISMATCH' THEN 1 ELSE 0 END) AS quote_mismatch,
  SUM(CASE WHEN result IN ('QUOTE_NOT_ACCEPTED', 'QUOTE_EXPIRED') THEN 1 ELSE 0 END) AS quote_not_convertible,
  CASE WHEN COUNT(*) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN result = 'CONVERTED' THEN 0 ELSE 1 END) AS DOUBLE) / COUNT(*) END AS value
FROM attempts
