-- Pricing recalculation rate (requirements 003 §14.1): pricings per quote priced in the period.
-- Parameters: 1 = from date, 2 = to date (inclusive, YYYY-MM-DD). Plain ANSI SQL: Athena and DuckDB.
WITH bounds AS (
  SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date
),
pricings AS (
  SELECT DISTINCT f.quote_id, f.quote_revision
  FROM fact_quote_line_price f
  CROSS JOIN bounds b
  WHERE f.fact_kind = 'PRICED'
    AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
)
SELECT
  COUNT(*) AS pricings,
  COUNT(DISTINCT quote_id) AS quotes,
  CASE WHEN COUNT(DISTINCT quote_id) = 0 THEN NULL
       ELSE CAST(COUNT(*) AS DOUBLE) / COUNT(DISTINCT quote_id) END AS value
FROM pricings
