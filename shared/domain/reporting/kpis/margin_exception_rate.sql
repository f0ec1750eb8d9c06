-- Margin exception rate (requirements 003 §14.3): deals (quotes accepted in the period, with a
-- margin known) whose recurring margin is below the 30 % guardrail of their net recurring price,
-- over those deals.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
deals AS (
  SELECT f.quote_id, SUM(f.margin_amount) AS margin, SUM(f.net_price_amount) AS net
  FROM fact_quote_line_price f CROSS JOIN bounds b
  WHERE f.fact_kind = 'ACCEPTED' AND f.margin_amount IS NOT NULL
    AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
  GROUP BY f.quote_id
)
SELECT
  COUNT(*) AS deals,
  SUM(CASE WHEN margin < 0.30 * net THEN 1 ELSE 0 END) AS below_guardrail,
  CASE WHEN COUNT(*) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN margin < 0.30 * net THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) END AS value
FROM deals
