-- Quote conversion rate (requirements 003 §14.1): quotes accepted in the period that were
-- converted to an order (by the time of the query) over quotes accepted in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
accepted AS (
  SELECT DISTINCT f.quote_id FROM fact_quote_line_price f CROSS JOIN bounds b
  WHERE f.fact_kind = 'ACCEPTED' AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
),
converted AS (
  SELECT DISTINCT o.quote_id FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'CREATED' AND CAST(o.dt AS DATE) >= b.from_date
)
SELECT
  COUNT(*) AS accepted_quotes,
  SUM(CASE WHEN c.quote_id IS NULL THEN 0 ELSE 1 END) AS converted,
  CASE WHEN COUNT(*) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN c.quote_id IS NULL THEN 0 ELSE 1 END) AS DOUBLE) / COUNT(*) END AS value
FROM accepted a LEFT JOIN converted c ON c.quote_id = a.quote_id
