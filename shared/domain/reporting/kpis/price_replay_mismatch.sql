-- Price replay mismatch (requirements 003 §14.3): pricing inputs (the same lines on the same
-- release: one input hash) priced again in the period whose result differs from the one captured
-- before (another net price for a line). Should be 0: pricing is deterministic.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
results AS (
  SELECT f.price_input_hash, f.quote_line_id,
         COUNT(DISTINCT CAST(f.net_price_amount AS VARCHAR) || '/' || CAST(f.net_one_time_amount AS VARCHAR)) AS outcomes,
         COUNT(DISTINCT CAST(f.quote_revision AS VARCHAR) || '/' || f.fact_kind) AS pricings
  FROM fact_quote_line_price f CROSS JOIN bounds b
  WHERE f.price_input_hash IS NOT NULL AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
  GROUP BY f.price_input_hash, f.quote_line_id
),
inputs AS (
  SELECT price_input_hash, MAX(outcomes) AS outcomes, MAX(pricings) AS pricings
  FROM results GROUP BY price_input_hash
)
SELECT
  SUM(CASE WHEN pricings > 1 THEN 1 ELSE 0 END) AS replayed_inputs,
  COALESCE(SUM(CASE WHEN outcomes > 1 THEN 1 ELSE 0 END), 0) AS value
FROM inputs
