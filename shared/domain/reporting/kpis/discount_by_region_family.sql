-- Average discount by region and product family (requirements 003 §7) on accepted lines: the line
-- discretionary discount only (no other discount kind is summed into it).
WITH bounds AS (
  SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date
)
SELECT
  COALESCE(f.region, '(none)') AS region,
  COALESCE(f.product_family, '(none)') AS product_family,
  COUNT(*) AS lines,
  AVG(f.discount_percent) AS avg_discount_percent,
  SUM(f.list_price_amount) AS list_recurring,
  SUM(f.discount_line_discretionary_amount) AS discount_recurring,
  CASE WHEN SUM(f.list_price_amount) = 0 THEN NULL
       ELSE 100 * SUM(f.discount_line_discretionary_amount) / SUM(f.list_price_amount) END AS weighted_discount_percent
FROM fact_quote_line_price f
CROSS JOIN bounds b
WHERE f.fact_kind = 'ACCEPTED'
  AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
GROUP BY COALESCE(f.region, '(none)'), COALESCE(f.product_family, '(none)')
ORDER BY region, product_family
