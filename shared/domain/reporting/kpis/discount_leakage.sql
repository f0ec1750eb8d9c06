-- Discount leakage (requirements 003 §14.3): discount above the auto-approval floor of deal-policy-1
-- (10 %) on accepted lines without an approver decision. Should be zero.
WITH bounds AS (
  SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date
)
SELECT
  COUNT(*) AS leaked_lines,
  COALESCE(SUM(f.discount_line_discretionary_amount), 0) AS value
FROM fact_quote_line_price f
CROSS JOIN bounds b
WHERE f.fact_kind = 'ACCEPTED'
  AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
  AND f.discount_percent > 10
  AND (f.approval_basis IS NULL OR f.approval_basis <> 'DECISION')
