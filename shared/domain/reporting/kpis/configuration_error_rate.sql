-- Configuration error rate (requirements 003 §14.1): configurations refused as invalid over all
-- configuration attempts (quotes created, lines replaced, and the refused ones) in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
attempts AS (
  SELECT 'OK' AS result FROM fact_quote_lifecycle f CROSS JOIN bounds b
  WHERE f.milestone IN ('CREATED', 'LINES_CONFIGURED') AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
  UNION ALL
  SELECT 'INVALID' FROM fact_command_refusal r CROSS JOIN bounds b
  WHERE r.code = 'INVALID_CONFIGURATION'
    AND r.operation IN ('quote-create', 'quote-patch', 'tmf648-quote-create', 'tmf648-quote-patch')
    AND CAST(r.dt AS DATE) BETWEEN b.from_date AND b.to_date
)
SELECT
  COUNT(*) AS attempts,
  SUM(CASE WHEN result = 'INVALID' THEN 1 ELSE 0 END) AS invalid,
  CASE WHEN COUNT(*) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN result = 'INVALID' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) END AS value
FROM attempts
