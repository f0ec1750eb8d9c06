-- Quote cycle time (requirements 003 §14.1): seconds from creation to the quote's end — accepted,
-- rejected, cancelled or expired (validity ended without any of those) — over quotes ending in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
ended AS (
  SELECT f.quote_id, 'ACCEPTED' AS outcome, MIN(f.created_epoch_seconds) AS created_s, MIN(f.fact_epoch_seconds) AS ended_s
  FROM fact_quote_line_price f CROSS JOIN bounds b
  WHERE f.fact_kind = 'ACCEPTED' AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
  GROUP BY f.quote_id
  UNION ALL
  SELECT f.quote_id, f.milestone, MIN(f.created_epoch_seconds), MIN(f.occurred_epoch_seconds)
  FROM fact_quote_lifecycle f CROSS JOIN bounds b
  WHERE f.milestone IN ('REJECTED', 'CANCELLED') AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
  GROUP BY f.quote_id, f.milestone
),
finished_ever AS (
  SELECT DISTINCT f.quote_id FROM fact_quote_line_price f CROSS JOIN bounds b
  WHERE f.fact_kind = 'ACCEPTED' AND CAST(f.dt AS DATE) >= b.lookback_date
  UNION
  SELECT DISTINCT f.quote_id FROM fact_quote_lifecycle f CROSS JOIN bounds b
  WHERE f.milestone IN ('REJECTED', 'CANCELLED') AND CAST(f.dt AS DATE) >= b.lookback_date
),
expired AS (
  SELECT c.quote_id, 'EXPIRED' AS outcome, MIN(c.created_epoch_seconds) AS created_s, MIN(c.valid_until_epoch_seconds) AS ended_s
  FROM fact_quote_lifecycle c CROSS JOIN bounds b
  WHERE c.milestone = 'CREATED' AND CAST(c.dt AS DATE) >= b.lookback_date
    AND CAST(c.valid_until_date AS DATE) BETWEEN b.from_date AND b.to_date
    AND c.quote_id NOT IN (SELECT quote_id FROM finished_ever)
  GROUP BY c.quote_id
),
cycles AS (
  SELECT quote_id, outcome, ended_s - created_s AS seconds FROM ended
  UNION ALL
  SELECT quote_id, outcome, ended_s - created_s FROM expired
)
SELECT
  COUNT(*) AS quotes,
  SUM(CASE WHEN outcome = 'ACCEPTED' THEN 1 ELSE 0 END) AS accepted,
  SUM(CASE WHEN outcome = 'REJECTED' THEN 1 ELSE 0 END) AS rejected,
  SUM(CASE WHEN outcome = 'CANCELLED' THEN 1 ELSE 0 END) AS cancelled,
  SUM(CASE WHEN outcome = 'EXPIRED' THEN 1 ELSE 0 END) AS expired,
  AVG(CAST(seconds AS DOUBLE)) AS value,
  MAX(seconds) AS max_seconds
FROM cycles
